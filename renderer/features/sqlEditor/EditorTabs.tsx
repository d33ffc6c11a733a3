// EditorTabs: the editor's tab strip: one tab per query (file name or "Query N", • when unsaved), close, and new.
import { tabTitle, useSqlEditorStore } from './sqlEditorStore'

export function EditorTabs() {
  const tabs = useSqlEditorStore((s) => s.tabs)
  const activeId = useSqlEditorStore((s) => s.activeId)
  const store = useSqlEditorStore.getState
  return (
    <div className="editor-tabs">
      <div role="tablist" aria-label="Editor tabs" className="editor-tablist">
        {tabs.map((tab, index) => {
          const title = tabTitle(tab, index)
          const unsaved = tab.file !== undefined && tab.text !== tab.savedText
          return (
            <span key={tab.id} className="editor-tab-group" data-active={tab.id === activeId}>
              <button
                type="button"
                role="tab"
                className="editor-tab"
                aria-selected={tab.id === activeId}
                onClick={() => store().selectTab(tab.id)}
                title={unsaved ? `${title} (unsaved changes)` : title}
              >
                {title}
                {unsaved && <span className="unsaved-dot" aria-label="unsaved changes"> •</span>}
              </button>
              <button type="button" className="icon-button editor-tab-close" aria-label={`Close ${title}`} onClick={() => store().closeTab(tab.id)}>
                ×
              </button>
            </span>
          )
        })}
      </div>
      <button type="button" className="icon-button" aria-label="New query tab" title="New query tab" onClick={() => store().newTab()}>
        +
      </button>
    </div>
  )
}
