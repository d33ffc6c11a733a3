// SplitPane: two panes stacked vertically with a draggable (and keyboard-movable) divider between them.
import { type KeyboardEvent, type PointerEvent, type ReactNode, useRef, useState } from 'react'

export interface SplitPaneProps {
  top: ReactNode
  bottom: ReactNode
  /** Initial share of the height given to the top pane, 0..1. */
  initialFraction?: number
  label: string
}

const minFraction = 0.15
const maxFraction = 0.85

export function SplitPane({ top, bottom, initialFraction = 0.42, label }: SplitPaneProps) {
  const container = useRef<HTMLDivElement>(null)
  const [fraction, setFraction] = useState(initialFraction)
  const clamp = (f: number) => Math.min(maxFraction, Math.max(minFraction, f))

  const onPointerDown = (event: PointerEvent<HTMLDivElement>) => {
    event.currentTarget.setPointerCapture(event.pointerId)
  }
  const onPointerMove = (event: PointerEvent<HTMLDivElement>) => {
    if (!event.currentTarget.hasPointerCapture(event.pointerId)) return
    const box = container.current!.getBoundingClientRect()
    setFraction(clamp((event.clientY - box.top) / box.height))
  }
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key === 'ArrowUp') setFraction((f) => clamp(f - 0.05))
    else if (event.key === 'ArrowDown') setFraction((f) => clamp(f + 0.05))
    else return
    event.preventDefault()
  }

  return (
    <div ref={container} className="split" style={{ gridTemplateRows: `${fraction}fr 6px ${1 - fraction}fr` }}>
      <div className="split-pane">{top}</div>
      <div
        className="split-divider"
        role="separator"
        aria-orientation="horizontal"
        aria-label={label}
        aria-valuemin={minFraction * 100}
        aria-valuemax={maxFraction * 100}
        aria-valuenow={Math.round(fraction * 100)}
        tabIndex={0}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onKeyDown={onKeyDown}
      />
      <div className="split-pane">{bottom}</div>
    </div>
  )
}
