// Component tests for Tabs: WAI-ARIA roles and ids, roving tabindex, and arrow/Home/End keys that select and focus.
import { render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { useState } from 'react'
import { describe, expect, it } from 'vitest'
import { Tabs, tabId, tabPanelId } from './Tabs'

type View = 'schema' | 'preview' | 'files'

function Harness({ initial = 'schema' }: { initial?: View }) {
  const [selected, setSelected] = useState<View>(initial)
  return (
    <>
      <button type="button">before</button>
      <Tabs<View>
        label="Version details"
        idPrefix="t"
        selected={selected}
        onSelect={setSelected}
        tabs={[
          { id: 'schema', label: 'Schema', badge: 3 },
          { id: 'preview', label: 'Preview' },
          { id: 'files', label: 'Files' }
        ]}
      />
      <div role="tabpanel" id={tabPanelId('t', selected)} aria-labelledby={tabId('t', selected)}>
        panel {selected}
      </div>
    </>
  )
}

const selectedTab = () => screen.getAllByRole('tab').find((t) => t.getAttribute('aria-selected') === 'true')!

describe('Tabs', () => {
  it('names the tab list, links each tab to its panel and labels the panel by the selected tab', () => {
    render(<Harness />)
    expect(screen.getByRole('tablist', { name: 'Version details' })).toBeTruthy()
    const schema = screen.getByRole('tab', { name: 'Schema 3' })
    expect(schema.getAttribute('aria-controls')).toBe('t-panel-schema')
    expect(screen.getByRole('tabpanel', { name: 'Schema 3' }).textContent).toBe('panel schema')
  })

  it('is one tab stop: Tab reaches the selected tab only', async () => {
    const user = userEvent.setup()
    render(<Harness initial="preview" />)
    await user.click(screen.getByRole('button', { name: 'before' }))
    await user.tab()
    expect(document.activeElement).toBe(screen.getByRole('tab', { name: 'Preview' }))
    expect(screen.getAllByRole('tab').map((t) => t.tabIndex)).toEqual([-1, 0, -1])
  })

  it('moves selection and focus with the arrow keys, wrapping at both ends', async () => {
    const user = userEvent.setup()
    render(<Harness />)
    await user.click(screen.getByRole('tab', { name: 'Schema 3' }))
    await user.keyboard('{ArrowRight}')
    expect(selectedTab().textContent).toBe('Preview')
    expect(document.activeElement).toBe(selectedTab())
    expect(screen.getByRole('tabpanel').textContent).toBe('panel preview')
    await user.keyboard('{ArrowRight}{ArrowRight}')
    expect(selectedTab().textContent).toBe('Schema3')
    await user.keyboard('{ArrowLeft}')
    expect(selectedTab().textContent).toBe('Files')
    expect(document.activeElement).toBe(selectedTab())
  })

  it('jumps to the first and last tab with Home and End', async () => {
    const user = userEvent.setup()
    render(<Harness initial="preview" />)
    screen.getByRole('tab', { name: 'Preview' }).focus()
    await user.keyboard('{End}')
    expect(selectedTab().textContent).toBe('Files')
    await user.keyboard('{Home}')
    expect(selectedTab().textContent).toBe('Schema3')
    expect(document.activeElement).toBe(selectedTab())
  })

  it('leaves other keys alone', async () => {
    const user = userEvent.setup()
    render(<Harness />)
    screen.getByRole('tab', { name: 'Schema 3' }).focus()
    await user.keyboard('{ArrowDown}x')
    expect(selectedTab().textContent).toBe('Schema3')
  })
})
