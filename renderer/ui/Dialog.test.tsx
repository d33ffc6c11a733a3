// Component tests for Dialog: a titled modal <dialog> that opens on mount, and closes through Escape (cancel) or the backdrop.
import { fireEvent, render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { useState } from 'react'
import { describe, expect, it, vi } from 'vitest'
import { Dialog } from './Dialog'

function Harness({ onClose }: { onClose?: () => void }) {
  const [open, setOpen] = useState(true)
  const close = () => {
    onClose?.()
    setOpen(false)
  }
  return open ? (
    <Dialog
      title="Restore silver.workouts to version 1?"
      onClose={close}
      actions={
        <>
          <button type="button" onClick={close}>
            Cancel
          </button>
          <button type="button">Restore</button>
        </>
      }
    >
      <p>RESTORE writes a new version.</p>
    </Dialog>
  ) : (
    <p>closed</p>
  )
}

describe('Dialog', () => {
  it('opens as a modal named by its title, with the body and the actions inside', () => {
    render(<Harness />)
    const dialog = screen.getByRole('dialog', { name: 'Restore silver.workouts to version 1?' }) as HTMLDialogElement
    expect(dialog.open).toBe(true)
    expect(dialog.textContent).toContain('RESTORE writes a new version.')
    expect(screen.getByRole('button', { name: 'Restore' }).closest('dialog')).toBe(dialog)
  })

  it('calls onClose on Escape and keeps the dialog open until the owner unmounts it', () => {
    // Browsers turn Escape in a modal <dialog> into a cancelable `cancel` event; happy-dom does not, so it is dispatched here.
    const onClose = vi.fn()
    render(<Dialog title="Vacuum?" onClose={onClose} actions={<button type="button">Close</button>}>body</Dialog>)
    const dialog = screen.getByRole('dialog', { name: 'Vacuum?' }) as HTMLDialogElement
    const cancel = new Event('cancel', { cancelable: true })
    fireEvent(dialog, cancel)
    expect(onClose).toHaveBeenCalledTimes(1)
    expect(cancel.defaultPrevented).toBe(true)
    expect(dialog.open).toBe(true)
  })

  it('closes on a click on the backdrop but not on a click inside', async () => {
    const user = userEvent.setup()
    const onClose = vi.fn()
    render(<Harness onClose={onClose} />)
    await user.click(screen.getByText('RESTORE writes a new version.'))
    expect(onClose).not.toHaveBeenCalled()
    // A click on the backdrop targets the <dialog> element itself.
    await user.click(screen.getByRole('dialog'))
    expect(onClose).toHaveBeenCalledTimes(1)
    expect(screen.getByText('closed')).toBeTruthy()
  })

  it('reaches its actions by keyboard and closes from the safe choice', async () => {
    const user = userEvent.setup()
    render(<Harness />)
    screen.getByRole('button', { name: 'Cancel' }).focus()
    await user.keyboard('{Enter}')
    expect(screen.queryByRole('dialog')).toBeNull()
    expect(screen.getByText('closed')).toBeTruthy()
  })

  it('closes the native dialog when unmounted', () => {
    const { unmount } = render(<Dialog title="Optimize?" onClose={vi.fn()} actions={null}>x</Dialog>)
    const dialog = screen.getByRole('dialog', { name: 'Optimize?' }) as HTMLDialogElement
    unmount()
    expect(dialog.open).toBe(false)
  })
})
