// workbenchCommands: every workbench action the palette lists and the keyboard reaches, built from what the shell can do.
import type { Command } from './commandRegistry'

/** What the shell does for each action; App supplies these, wiring features together. */
export interface WorkbenchActions {
  openPalette(): void
  runQuery(): void
  newEditorTab(): void
  openLakehouse(): void
  newLakehouse(): void
  toggleTheme(): void
  focusExplorer(): void
  focusWorkspaceTabs(): void
  /** Workspace views the shell has now (SQL editor, Pipelines, Quality, an open table), in tab order. */
  views: { id: string; title: string }[]
  showView(id: string): void
  /** Set when a table page is open. */
  closeTable?: () => void
  /** The streaming panel's actions (the panel shows their outcome and errors). */
  stream?: {
    startQuery(): void
    stopQuery(): void
    toggleProducer(): void
    stepProducer(): void
  }
}

/**
 * The command list: ids are stable (tests and the palette use them). Shortcuts avoid keys the browser keeps for
 * itself (Ctrl+T, Ctrl+W, Ctrl+N); the palette and Open lakehouse take their keys before the editor does, and Ctrl+K is left to Monaco's chords.
 */
export function workbenchCommands(actions: WorkbenchActions): Command[] {
  const goTo = actions.views.map<Command>((view, index) => ({
    id: `view.${view.id}`,
    title: `Go to ${view.title}`,
    ...(index < 9 ? { shortcuts: [`Alt+${index + 1}`], phase: 'capture' as const } : {}),
    run: () => actions.showView(view.id)
  }))
  return [
    { id: 'palette.open', title: 'Show all commands', shortcuts: ['Mod+Shift+P'], phase: 'capture', run: actions.openPalette },
    { id: 'editor.run', title: 'Run query (statement at the cursor or the selection)', shortcuts: ['Mod+Enter'], run: actions.runQuery },
    { id: 'editor.newTab', title: 'New editor tab', shortcuts: ['Alt+N'], phase: 'capture', run: actions.newEditorTab },
    { id: 'lakehouse.open', title: 'Open lakehouse…', shortcuts: ['Mod+O'], phase: 'capture', run: actions.openLakehouse },
    { id: 'lakehouse.new', title: 'New lakehouse…', run: actions.newLakehouse },
    { id: 'theme.toggle', title: 'Toggle light / dark theme', shortcuts: ['Alt+Shift+T'], phase: 'capture', run: actions.toggleTheme },
    ...goTo,
    { id: 'explorer.focus', title: 'Focus explorer', shortcuts: ['Mod+Shift+E'], phase: 'capture', run: actions.focusExplorer },
    { id: 'workspace.focusTabs', title: 'Focus workspace tabs', run: actions.focusWorkspaceTabs },
    ...(actions.closeTable ? [{ id: 'table.close', title: 'Close table page', run: actions.closeTable }] : []),
    ...(actions.stream
      ? [
          { id: 'stream.start', title: 'Start streaming query', run: actions.stream.startQuery },
          { id: 'stream.stop', title: 'Stop streaming query', run: actions.stream.stopQuery },
          { id: 'stream.producerToggle', title: 'Start / pause the live producer', run: actions.stream.toggleProducer },
          { id: 'stream.producerStep', title: 'Step the live producer (write one file)', run: actions.stream.stepProducer }
        ]
      : [])
  ]
}
