// Dialog: a modal built on <dialog> (focus trapped by the browser, Escape closes), with a title, body and action row.
import { type ReactNode, useEffect, useRef } from 'react'
import './dialog.css'

export interface DialogProps {
  title: string
  children: ReactNode
  /** The buttons, right-aligned; put the safe choice first so Enter does not confirm by accident. */
  actions: ReactNode
  onClose(): void
}

/** Opens as a modal when mounted, closes when unmounted; Escape or the backdrop calls onClose. */
export function Dialog({ title, children, actions, onClose }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null)
  const titleId = useRef(`dialog-${Math.random().toString(36).slice(2)}`).current
  useEffect(() => {
    const dialog = ref.current!
    if (!dialog.open) dialog.showModal()
    return () => dialog.close()
  }, [])
  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault()
        onClose()
      }}
      onClick={(event) => event.target === ref.current && onClose()}
    >
      <h2 id={titleId} className="dialog-title">
        {title}
      </h2>
      <div className="dialog-body">{children}</div>
      <div className="dialog-actions">{actions}</div>
    </dialog>
  )
}
