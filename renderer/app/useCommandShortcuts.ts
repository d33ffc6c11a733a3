// useCommandShortcuts: binds the command registry's shortcuts to the window while the workbench is mounted.
import { useEffect, useRef } from 'react'
import { type Command, commandForKey } from './commandRegistry'

export const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform)

/**
 * Listens on window in both phases: 'capture' commands run before the focused control sees the keys; 'bubble' ones
 * only if no control handled them (Monaco marks the keys it used with preventDefault). Commands are read through a
 * ref, so the list may change every render without re-binding.
 */
export function useCommandShortcuts(commands: readonly Command[], suspended: boolean): void {
  const current = useRef(commands)
  current.current = commands
  const paused = useRef(suspended)
  paused.current = suspended

  useEffect(() => {
    const handler = (phase: 'capture' | 'bubble') => (event: KeyboardEvent) => {
      if (paused.current || event.repeat || (phase === 'bubble' && event.defaultPrevented)) return
      const command = commandForKey(current.current, event, phase, isMac)
      if (!command) return
      event.preventDefault()
      event.stopPropagation()
      command.run()
    }
    const capture = handler('capture')
    const bubble = handler('bubble')
    window.addEventListener('keydown', capture, true)
    window.addEventListener('keydown', bubble)
    return () => {
      window.removeEventListener('keydown', capture, true)
      window.removeEventListener('keydown', bubble)
    }
  }, [])
}
