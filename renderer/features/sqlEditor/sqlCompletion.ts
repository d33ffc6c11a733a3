// sqlCompletion: what to suggest at a cursor in Spark SQL text, given the lakehouse catalog (pure; Monaco adapts it).
import { splitStatementSpans } from './statementAtCursor'

/** What completion knows about the lakehouse; `columns` is keyed by `schema.table` and may lack tables not loaded yet. */
export interface CompletionCatalog {
  schemas: string[]
  tables: { schema: string; name: string }[]
  columns: Record<string, { name: string; type: string }[]>
}

export type SuggestionKind = 'keyword' | 'schema' | 'table' | 'column'

export interface Suggestion {
  label: string
  kind: SuggestionKind
  /** Type for columns, schema for tables, a short description for Delta commands. */
  detail?: string
  insertText: string
  /** Lower sorts first. */
  rank: number
}

/** A table named in the statement, with the alias it goes by there (if any). */
export interface TableReference {
  table: string
  alias?: string
}

/** Delta and time-travel phrases, suggested as whole phrases. */
export const deltaPhrases: { phrase: string; detail: string }[] = [
  { phrase: 'VERSION AS OF', detail: 'Time travel to a table version' },
  { phrase: 'TIMESTAMP AS OF', detail: 'Time travel to a point in time' },
  { phrase: 'DESCRIBE HISTORY', detail: "A table's commits, newest first" },
  { phrase: 'DESCRIBE DETAIL', detail: "A table's location, files and size" },
  { phrase: 'RESTORE TABLE', detail: 'Roll a table back to a version' },
  { phrase: 'OPTIMIZE', detail: 'Compact small files' },
  { phrase: 'VACUUM', detail: 'Delete files no version needs' }
]

const sqlKeywords = [
  'SELECT', 'FROM', 'WHERE', 'GROUP BY', 'ORDER BY', 'HAVING', 'LIMIT', 'JOIN', 'LEFT JOIN', 'INNER JOIN', 'ON', 'AS', 'AND', 'OR',
  'NOT', 'IN', 'IS NULL', 'IS NOT NULL', 'DISTINCT', 'COUNT', 'CASE', 'WHEN', 'THEN', 'ELSE', 'END', 'UNION ALL', 'WITH',
  'INSERT INTO', 'UPDATE', 'DELETE FROM', 'MERGE INTO', 'CREATE TABLE', 'SHOW TABLES', 'SHOW SCHEMAS', 'DESCRIBE'
]

/** Words after which a table name comes next. */
const tableContext = new Set(['FROM', 'JOIN', 'INTO', 'UPDATE', 'TABLE', 'HISTORY', 'DETAIL', 'OPTIMIZE', 'VACUUM', 'DESCRIBE', 'IN'])
/** Words after which a column or expression comes next. */
const columnContext = new Set(['SELECT', 'WHERE', 'BY', 'ON', 'AND', 'OR', 'HAVING', 'SET', 'NOT', 'WHEN', 'THEN', 'ELSE', 'DISTINCT', ','])
/** Words that may follow a table name and so are never its alias. */
const notAliases = new Set([
  'WHERE', 'JOIN', 'LEFT', 'RIGHT', 'INNER', 'OUTER', 'FULL', 'CROSS', 'ON', 'GROUP', 'ORDER', 'LIMIT', 'UNION', 'HAVING', 'USING',
  'VERSION', 'TIMESTAMP', 'SET', 'VALUES', 'SELECT', 'AS', 'TO', 'ZORDER', 'RETAIN', 'DRY', 'WINDOW', 'QUALIFY', 'EXCEPT', 'INTERSECT'
])

const identifier = '`[^`]+`|[A-Za-z_][A-Za-z0-9_]*'
const referencePattern = new RegExp(
  `\\b(?:FROM|JOIN|UPDATE|INTO|TABLE|HISTORY|DETAIL|OPTIMIZE|VACUUM)\\s+(${identifier})\\.(${identifier})` +
    `(?:\\s+(?:VERSION|TIMESTAMP)\\s+AS\\s+OF\\s+(?:\\d+|'[^']*'))?(?:\\s+(?:AS\\s+)?(${identifier}))?`,
  'gi'
)

const unquote = (name: string) => name.replace(/^`|`$/g, '')

/** The `schema.table` references (with aliases) of one statement, in order. */
export function tableReferences(statement: string): TableReference[] {
  const found: TableReference[] = []
  for (const match of statement.matchAll(referencePattern)) {
    const table = `${unquote(match[1]!)}.${unquote(match[2]!)}`.toLowerCase()
    const alias = match[3] && !notAliases.has(match[3].toUpperCase()) ? unquote(match[3]) : undefined
    found.push(alias ? { table, alias } : { table })
  }
  return found
}

/** The text of the statement holding `offset` (the whole text when there is none). */
export function statementAt(text: string, offset: number): string {
  const spans = splitStatementSpans(text)
  return (spans.find((s) => offset >= s.start && offset <= s.end) ?? { text }).text
}

/**
 * Suggestions at `offset` in `text`:
 * - after `schema.` → that schema's tables; after `alias.` or `table.` of a table in the statement → its columns with types;
 * - after FROM/JOIN/INTO/… → schemas and `schema.table` names; right after a table name → VERSION AS OF / TIMESTAMP AS OF;
 * - in a SELECT list, WHERE, ON, GROUP/ORDER BY → the columns of the statement's tables, then keywords;
 * - elsewhere → keywords and Delta phrases, then schemas and tables.
 * The caller filters by the word being typed; every suggestion here is a candidate for it.
 */
export function completeSql(text: string, offset: number, catalog: CompletionCatalog): Suggestion[] {
  const before = text.slice(0, offset)
  const statement = statementAt(text, offset)
  const references = tableReferences(statement)
  const qualified = before.match(new RegExp(`(${identifier})\\.([A-Za-z0-9_]*)$`))
  if (qualified) {
    const qualifier = unquote(qualified[1]!).toLowerCase()
    const schema = catalog.schemas.find((s) => s.toLowerCase() === qualifier)
    const reference = references.find((r) => r.alias?.toLowerCase() === qualifier || r.table.split('.')[1] === qualifier)
    // A word after `x.` is a column when x names a table of this statement, else a table when x is a schema.
    if (reference) return columnSuggestions(catalog, [reference], false)
    if (schema) {
      return catalog.tables.filter((t) => t.schema === schema).map((t) => ({ label: t.name, kind: 'table', detail: `table in ${schema}`, insertText: t.name, rank: 0 }))
    }
    return []
  }
  const previous = previousWord(before)
  if (previous && tableContext.has(previous)) return [...schemaSuggestions(catalog), ...tableSuggestions(catalog)]
  if (previous && /^[A-Za-z_][\w]*\.[A-Za-z_][\w]*$/.test(previous) && isKnownTable(catalog, previous)) {
    return [...timeTravel(0), ...keywordSuggestions(1)]
  }
  if (previous && columnContext.has(previous)) {
    return [...columnSuggestions(catalog, references, references.length > 1), ...keywordSuggestions(1), ...tableSuggestions(catalog, 2)]
  }
  return [...deltaSuggestions(0), ...keywordSuggestions(1), ...schemaSuggestions(catalog, 2), ...tableSuggestions(catalog, 2)]
}

/** The last complete word (or `,`) before the word being typed, upper-cased; `schema.table` stays whole and as typed. */
function previousWord(before: string): string | undefined {
  const withoutCurrent = before.replace(/[A-Za-z0-9_`]*$/, '').replace(/--[^\n]*$/, '')
  const match = withoutCurrent.match(/([A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)?|,)\s*$/)
  if (!match) return undefined
  return match[1]!.includes('.') ? match[1]!.toLowerCase() : match[1]!.toUpperCase()
}

function isKnownTable(catalog: CompletionCatalog, name: string): boolean {
  return catalog.tables.some((t) => `${t.schema}.${t.name}` === name)
}

function columnSuggestions(catalog: CompletionCatalog, references: TableReference[], qualify: boolean): Suggestion[] {
  const out: Suggestion[] = []
  const seen = new Set<string>()
  for (const reference of references) {
    for (const column of catalog.columns[reference.table] ?? []) {
      const prefix = qualify ? `${reference.alias ?? reference.table.split('.')[1]}.` : ''
      const label = prefix + column.name
      if (seen.has(label)) continue
      seen.add(label)
      out.push({ label, kind: 'column', detail: `${column.type} · ${reference.table}`, insertText: label, rank: 0 })
    }
  }
  return out
}

function schemaSuggestions(catalog: CompletionCatalog, rank = 0): Suggestion[] {
  return catalog.schemas.map((s) => ({ label: s, kind: 'schema', detail: 'schema', insertText: s, rank }))
}

function tableSuggestions(catalog: CompletionCatalog, rank = 0): Suggestion[] {
  return catalog.tables.map((t) => ({ label: `${t.schema}.${t.name}`, kind: 'table', detail: 'table', insertText: `${t.schema}.${t.name}`, rank }))
}

function timeTravel(rank: number): Suggestion[] {
  return deltaPhrases.filter((p) => p.phrase.endsWith('AS OF')).map((p) => ({ label: p.phrase, kind: 'keyword', detail: p.detail, insertText: `${p.phrase} `, rank }))
}

function deltaSuggestions(rank: number): Suggestion[] {
  return deltaPhrases.map((p) => ({ label: p.phrase, kind: 'keyword', detail: p.detail, insertText: `${p.phrase} `, rank }))
}

function keywordSuggestions(rank: number): Suggestion[] {
  return sqlKeywords.map((k) => ({ label: k, kind: 'keyword', insertText: `${k} `, rank }))
}
