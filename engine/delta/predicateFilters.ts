// Data skipping for DELETE / replaceWhere: the simple conjuncts of a SQL predicate as PruneFilters, via DuckDB's parser.
import type { PruneFilter } from './filePruning'
import { sqlString, type ParquetPort } from './parquetPort'
import type { DataType, StructType } from './schema'

type Node = Record<string, unknown>
type Scalar = string | number | boolean

const COMPARISONS: Record<string, PruneFilter['op']> = {
  COMPARE_EQUAL: '=',
  COMPARE_NOTEQUAL: '!=',
  COMPARE_LESSTHAN: '<',
  COMPARE_LESSTHANOREQUALTO: '<=',
  COMPARE_GREATERTHAN: '>',
  COMPARE_GREATERTHANOREQUALTO: '>='
}
/** `c op k` read as `k op' c`. */
const MIRRORED: Record<string, PruneFilter['op']> = { '=': '=', '!=': '!=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' }

const INTEGER_TYPES = new Set(['byte', 'short', 'integer', 'long'])
const DATE_TEXT = /^\d{4}-\d{2}-\d{2}$/

/** Which constants may be compared with a column of this type without DuckDB doing a conversion we do not model. */
type ColumnKind = 'number' | 'string' | 'date' | 'boolean'

function kindOf(type: DataType): ColumnKind | null {
  if (typeof type !== 'string') return null
  if (INTEGER_TYPES.has(type) || type === 'float' || type === 'double' || type.startsWith('decimal')) return 'number'
  if (type === 'string') return 'string'
  if (type === 'date') return 'date'
  if (type === 'boolean') return 'boolean'
  // Timestamps (zones, precision), binary and nested types are left to the scan.
  return null
}

/** The JS value of a DuckDB constant node, or null when it is NULL, imprecise here, or of a type we do not model. */
function constantOf(node: Node | undefined, kind: ColumnKind): Scalar | null {
  if (!node) return null
  if (node.class === 'CAST') {
    // DATE '2024-01-01' and TRUE arrive as casts of a VARCHAR constant.
    const target = (node.cast_type as Node | undefined)?.id
    const inner = node.child as Node | undefined
    if (node.try_cast || inner?.class !== 'CONSTANT') return null
    const text = constantOf(inner, 'string')
    if (typeof text !== 'string') return null
    if (target === 'DATE' && kind === 'date' && DATE_TEXT.test(text)) return text
    if (target === 'BOOLEAN' && kind === 'boolean') {
      const lower = text.toLowerCase()
      return lower === 't' || lower === 'true' ? true : lower === 'f' || lower === 'false' ? false : null
    }
    return null
  }
  if (node.class !== 'CONSTANT') return null
  const value = node.value as { type?: { id?: string; type_info?: { scale?: number } }; is_null?: boolean; value?: unknown } | undefined
  if (!value || value.is_null) return null
  const id = value.type?.id
  const raw = value.value
  switch (id) {
    case 'TINYINT': case 'SMALLINT': case 'INTEGER': case 'BIGINT': case 'UTINYINT': case 'USMALLINT': case 'UINTEGER': case 'UBIGINT': case 'HUGEINT':
      // JSON numbers beyond 2^53 were rounded on the way here.
      return kind === 'number' && typeof raw === 'number' && Number.isSafeInteger(raw) ? raw : null
    case 'DECIMAL': {
      const scale = value.type?.type_info?.scale ?? 0
      return kind === 'number' && typeof raw === 'number' && Number.isSafeInteger(raw) ? raw / 10 ** scale : null
    }
    case 'DOUBLE': case 'FLOAT':
      return kind === 'number' && typeof raw === 'number' && Number.isFinite(raw) ? raw : null
    case 'VARCHAR':
      if (typeof raw !== 'string') return null
      if (kind === 'string') return raw
      // DuckDB casts the text to DATE for the comparison; only the plain ISO form is taken as it is.
      if (kind === 'date' && DATE_TEXT.test(raw)) return raw
      return null
    case 'BOOLEAN':
      return kind === 'boolean' && typeof raw === 'boolean' ? raw : null
    default:
      return null
  }
}

/** Collects the filters of one conjunct; anything not understood contributes nothing (that is always safe). */
function collect(node: Node, column: (n: Node | undefined) => { name: string; kind: ColumnKind } | null, out: PruneFilter[]): void {
  const cls = node.class
  const type = String(node.type)
  if (cls === 'CONJUNCTION' && type === 'CONJUNCTION_AND') {
    for (const child of (node.children as Node[]) ?? []) collect(child, column, out)
    return
  }
  if (cls === 'COMPARISON' && COMPARISONS[type]) {
    const op = COMPARISONS[type]!
    const left = column(node.left as Node)
    const right = column(node.right as Node)
    if (left && !right) {
      const value = constantOf(node.right as Node, left.kind)
      if (value !== null) out.push({ column: left.name, op, value })
    } else if (right && !left) {
      const value = constantOf(node.left as Node, right.kind)
      if (value !== null) out.push({ column: right.name, op: MIRRORED[op]!, value })
    }
    return
  }
  if (cls === 'BETWEEN') {
    const target = column(node.input as Node)
    if (!target) return
    const lower = constantOf(node.lower as Node, target.kind)
    const upper = constantOf(node.upper as Node, target.kind)
    if (lower !== null) out.push({ column: target.name, op: '>=', value: lower })
    if (upper !== null) out.push({ column: target.name, op: '<=', value: upper })
    return
  }
  if (cls === 'OPERATOR' && (type === 'OPERATOR_IS_NULL' || type === 'OPERATOR_IS_NOT_NULL')) {
    const target = column(((node.children as Node[]) ?? [])[0])
    if (target) out.push({ column: target.name, op: type === 'OPERATOR_IS_NULL' ? 'IS NULL' : 'IS NOT NULL' })
    return
  }
  if (cls === 'OPERATOR' && type === 'COMPARE_IN') {
    const [first, ...rest] = (node.children as Node[]) ?? []
    const target = column(first)
    if (!target || rest.length === 0) return
    const values = rest.map((n) => constantOf(n, target.kind))
    // One value we cannot read could be the one that matches: then the whole IN says nothing.
    if (values.every((v): v is Scalar => v !== null)) out.push({ column: target.name, op: 'IN', value: values })
  }
}

/**
 * The conjuncts of `predicateSql` that pruneFiles can use to skip files: comparisons (=, <>, <, <=, >, >=, BETWEEN,
 * IN) between a top-level column and a constant, and IS [NOT] NULL, joined by AND at the top. Dropping a conjunct only
 * keeps more files, so anything else (OR, NOT, functions, casts of columns, struct fields, timestamps, constants that
 * would need a conversion we do not model, 64-bit values JSON cannot carry exactly) is simply left out. The predicate
 * is parsed by DuckDB (json_serialize_sql); when that is unavailable or the text is not one expression, the result is
 * [] and the caller scans every file. String comparisons are only used under DuckDB's default binary collation.
 * Never throws for a predicate it cannot use.
 */
export async function pruneFiltersOf(port: ParquetPort, schema: StructType, predicateSql: string): Promise<PruneFilter[]> {
  let where: Node | undefined
  let binaryCollation = false
  try {
    const rows = await port.query(
      `SELECT json_serialize_sql(${sqlString(`SELECT 1 FROM t WHERE ${predicateSql}`)})::VARCHAR AS ast, current_setting('default_collation')::VARCHAR AS collation`
    )
    const ast = JSON.parse(String(rows[0]!.ast)) as { error?: boolean; statements?: { node?: { where_clause?: Node } }[] }
    if (ast.error || ast.statements?.length !== 1) return []
    where = ast.statements[0]!.node?.where_clause
    binaryCollation = String(rows[0]!.collation ?? '') === ''
  } catch {
    return []
  }
  if (!where) return []
  const byLowerName = new Map(schema.fields.map((f) => [f.name.toLowerCase(), f]))
  const column = (n: Node | undefined): { name: string; kind: ColumnKind } | null => {
    if (!n || n.class !== 'COLUMN_REF') return null
    const names = n.column_names as string[] | undefined
    if (!names || names.length !== 1) return null
    const field = byLowerName.get(names[0]!.toLowerCase())
    const kind = field ? kindOf(field.type) : null
    if (!field || !kind || (kind === 'string' && !binaryCollation)) return null
    return { name: field.name, kind }
  }
  const filters: PruneFilter[] = []
  collect(where, column, filters)
  return filters
}
