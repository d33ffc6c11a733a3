// Component tests for SplitPane: a named, focusable separator whose arrow keys move the divider within its limits.
import { render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { SplitPane } from './SplitPane'

describe('SplitPane', () => {
  it('moves the divider 5% per arrow key and stops at 15% and 85%', async () => {
    const user = userEvent.setup()
    render(<SplitPane top={<p>editor</p>} bottom={<p>results</p>} initialFraction={0.5} label="Resize editor and results" />)
    const divider = screen.getByRole('separator', { name: 'Resize editor and results' })
    expect(divider.getAttribute('aria-valuenow')).toBe('50')
    await user.tab()
    expect(document.activeElement).toBe(divider)
    await user.keyboard('{ArrowUp}{ArrowUp}')
    expect(divider.getAttribute('aria-valuenow')).toBe('40')
    await user.keyboard('{ArrowUp>12/}')
    expect(divider.getAttribute('aria-valuenow')).toBe('15')
    await user.keyboard('{ArrowDown>20/}')
    expect(divider.getAttribute('aria-valuenow')).toBe('85')
  })
})
