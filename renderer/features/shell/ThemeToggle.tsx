// ThemeToggle: the header button switching between the light and dark themes.
import { useSyncExternalStore } from 'react'
import { getTheme, subscribeTheme, toggleTheme } from '../../platform/theme'

export function ThemeToggle() {
  const theme = useSyncExternalStore(subscribeTheme, getTheme)
  const next = theme === 'dark' ? 'light' : 'dark'
  return (
    <button type="button" className="icon-button header-icon" aria-label={`Switch to ${next} theme`} title={`Switch to the ${next} theme`} onClick={toggleTheme}>
      <span aria-hidden="true">{theme === 'dark' ? '☀' : '☾'}</span>
    </button>
  )
}
