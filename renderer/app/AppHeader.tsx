// AppHeader: the workbench header: brand, lakehouse switcher, engine connection, command palette button and theme toggle.
import type { LakehouseInfo } from '../../engine/api/lakehouseApi'
import { LakehouseSwitcher } from '../features/shell/LakehouseSwitcher'
import { ThemeToggle } from '../features/shell/ThemeToggle'
import type { EngineConnection } from '../platform/engine'
import { shortcutLabel } from './commandRegistry'
import { isMac } from './useCommandShortcuts'

export interface AppHeaderProps {
  info: LakehouseInfo | null
  placeholder: string
  host: EngineConnection['host']
  lostReason: string | undefined
  onOpenPalette(): void
}

export function AppHeader({ info, placeholder, host, lostReason, onOpenPalette }: AppHeaderProps) {
  const paletteKeys = shortcutLabel('Mod+Shift+P', isMac)
  return (
    <header className="app-header">
      <div className="brand" aria-hidden="true">
        <span className="brand-mark" />
        Lakebench
      </div>
      <LakehouseSwitcher info={info} placeholder={placeholder} />
      <div className={`connection ${lostReason ? 'lost' : 'ok'}`} role="status" aria-label="Engine connection">
        <span className="dot" aria-hidden="true" />
        {lostReason ? 'Disconnected' : host === 'desktop' ? 'Local engine' : 'Local engine (browser)'}
      </div>
      <button type="button" className="button palette-button" onClick={onOpenPalette} aria-keyshortcuts={isMac ? 'Meta+Shift+P' : 'Control+Shift+P'} title="Show all commands">
        Commands <kbd>{paletteKeys}</kbd>
      </button>
      <ThemeToggle />
    </header>
  )
}
