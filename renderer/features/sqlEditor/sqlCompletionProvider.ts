// sqlCompletionProvider: adapts completeSql to Monaco's completion API for the `sql` language.
import { monaco } from './monacoSetup'
import type { CompletionCatalogLoader } from './completionCatalog'
import { type SuggestionKind, completeSql, statementAt, tableReferences } from './sqlCompletion'

let source: CompletionCatalogLoader | null = null
let registered = false

const kindOf: Record<SuggestionKind, monaco.languages.CompletionItemKind> = {
  keyword: monaco.languages.CompletionItemKind.Keyword,
  schema: monaco.languages.CompletionItemKind.Module,
  table: monaco.languages.CompletionItemKind.Class,
  column: monaco.languages.CompletionItemKind.Field
}

/** Points completion at `loader` (the editor of the current engine); registers the provider the first time. */
export function setCompletionCatalog(loader: CompletionCatalogLoader): void {
  source = loader
  if (registered) return
  registered = true
  monaco.languages.registerCompletionItemProvider('sql', {
    triggerCharacters: ['.'],
    async provideCompletionItems(model, position) {
      if (!source) return { suggestions: [] }
      const text = model.getValue()
      const offset = model.getOffsetAt(position)
      const tables = tableReferences(statementAt(text, offset)).map((r) => r.table)
      const catalog = await source.catalogFor(tables)
      const word = model.getWordUntilPosition(position)
      const range = { startLineNumber: position.lineNumber, endLineNumber: position.lineNumber, startColumn: word.startColumn, endColumn: word.endColumn }
      const suggestions = completeSql(text, offset, catalog).map((s, i) => ({
        label: { label: s.label, description: s.detail },
        kind: kindOf[s.kind],
        detail: s.detail,
        insertText: s.insertText,
        // Rank first, then the order completeSql chose.
        sortText: `${s.rank}${String(i).padStart(4, '0')}`,
        range
      }))
      return { suggestions }
    }
  })
}
