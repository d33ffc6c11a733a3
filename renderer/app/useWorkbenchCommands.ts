// useWorkbenchCommands: the shell's commands for the current state (views, open table), bound to the keyboard.
import { type RefObject, useMemo } from 'react'
import type { EngineApi } from '../../engine/api/engineApi'
import { startOpen } from '../features/shell/LakehouseSwitcher'
import { useLakehouseStore } from '../features/shell/lakehouseStore'
import { sqlEditorCommands } from '../features/sqlEditor/SqlEditor'
import { streamsCommands } from '../features/streams/streamsStore'
import { toggleTheme } from '../platform/theme'
import { type Command, shortcutLabel } from './commandRegistry'
import { isMac, useCommandShortcuts } from './useCommandShortcuts'
import { workbenchCommands } from './workbenchCommands'

export interface WorkbenchCommandContext {
  engine: EngineApi
  views: { id: string; title: string }[]
  showView(id: string): void
  closeTable?: () => void
  openPalette(): void
  /** Keys are ignored while a modal (palette, dialog) is open: it owns the keyboard. */
  modalOpen: boolean
  sidebar: RefObject<HTMLElement | null>
  workspace: RefObject<HTMLElement | null>
}

/** A command plus its first shortcut formatted for this platform (what the palette shows). */
export type ShownCommand = Command & { shortcutLabel?: string }

/** The workbench's commands, with their shortcuts bound to the window while the component is mounted. */
export function useWorkbenchCommands(context: WorkbenchCommandContext): ShownCommand[] {
  const { engine, views, showView, closeTable, openPalette, sidebar, workspace } = context
  const viewKey = views.map((v) => `${v.id}:${v.title}`).join('|')
  const commands = useMemo(
    () =>
      workbenchCommands({
        openPalette,
        runQuery: () => {
          showView('sql')
          sqlEditorCommands.runCurrent()
        },
        newEditorTab: () => {
          showView('sql')
          sqlEditorCommands.newTab()
        },
        openLakehouse: () => void startOpen(engine),
        newLakehouse: () => useLakehouseStore.getState().showDialog('create'),
        toggleTheme,
        // The explorer's tree is one Tab stop (its last focused item); the first button only when there is no tree yet.
        focusExplorer: () => focusFirst(sidebar.current, '[role="tree"] [role="treeitem"][tabindex="0"]') || focusFirst(sidebar.current, 'button'),
        focusWorkspaceTabs: () => focusFirst(workspace.current, '[role="tab"][aria-selected="true"]'),
        views,
        showView,
        ...(closeTable ? { closeTable } : {}),
        // Each shows the streaming panel first, where the outcome (or the engine's refusal) appears.
        stream: {
          startQuery: () => {
            showView('streams')
            void streamsCommands.startQuery(engine)
          },
          stopQuery: () => {
            showView('streams')
            void streamsCommands.stopQuery(engine)
          },
          toggleProducer: () => {
            showView('streams')
            void streamsCommands.toggleProducer(engine)
          },
          stepProducer: () => {
            showView('streams')
            void streamsCommands.stepProducer(engine)
          }
        }
      }).map((command) => ({ ...command, ...(command.shortcuts?.[0] ? { shortcutLabel: shortcutLabel(command.shortcuts[0], isMac) } : {}) })),
    // views is compared by content: App builds a new array each render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [engine, viewKey, showView, closeTable, openPalette, sidebar, workspace]
  )
  useCommandShortcuts(commands, context.modalOpen)
  return commands
}

/** Focuses the first element under `root` matching `selector`; false when there is none. */
function focusFirst(root: HTMLElement | null, selector: string): boolean {
  const target = root?.querySelector<HTMLElement>(selector)
  target?.focus()
  return target !== undefined && target !== null
}
