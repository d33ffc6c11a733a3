// Column mapping (name and id modes): logical columns resolved to the physical parquet columns of each data file, at every nesting level.
import { DeltaError } from './errors'
import type { Metadata } from './actions'
import { sqlString, type ParquetPort } from './parquetPort'
import { isArray, isMap, isStruct, type DataType, type StructField } from './schema'

export type ColumnMappingMode = 'none' | 'name' | 'id'

const PHYSICAL_NAME = 'delta.columnMapping.physicalName'
const FIELD_ID = 'delta.columnMapping.id'

/**
 * The table's column mapping mode from `delta.columnMapping.mode`.
 * @throws DeltaError UNSUPPORTED_FEATURE for an unknown mode.
 */
export function columnMappingMode(metadata: Metadata): ColumnMappingMode {
  const mode = (metadata.configuration['delta.columnMapping.mode'] ?? 'none').toLowerCase()
  if (mode === 'none' || mode === 'name' || mode === 'id') return mode
  throw new DeltaError('UNSUPPORTED_FEATURE', `column mapping mode '${mode}' is not supported`, { features: ['columnMapping'], mode })
}

/** The name a field has in data files, stats and partitionValues (its logical name when mapping is off). */
export function physicalName(field: StructField, mode: ColumnMappingMode): string {
  if (mode === 'none') return field.name
  const name = field.metadata[PHYSICAL_NAME]
  return typeof name === 'string' && name !== '' ? name : field.name
}

/** The parquet field id of a field under id mapping, or undefined when the schema has none. */
export function columnMappingId(field: StructField): number | undefined {
  const id = field.metadata[FIELD_ID]
  return typeof id === 'number' ? id : typeof id === 'string' && /^\d+$/.test(id) ? Number(id) : undefined
}

/** One node of a data file's parquet schema, with list/map wrappers already unwrapped. */
export interface ParquetNode {
  name: string
  fieldId: number | null
  kind: 'primitive' | 'struct' | 'list' | 'map'
  children: ParquetNode[]
  element?: ParquetNode
  key?: ParquetNode
  value?: ParquetNode
}

interface SchemaRow {
  file_name: string
  name: string
  converted_type: string | null
  logical_type: string | null
  field_id: bigint | number | null
  num_children: bigint | number | null
  repetition_type: string | null
}

function buildNode(rows: SchemaRow[], cursor: { i: number }): ParquetNode {
  const row = rows[cursor.i++]!
  const childCount = Number(row.num_children ?? 0)
  const children: ParquetNode[] = []
  for (let c = 0; c < childCount; c++) children.push(buildNode(rows, cursor))
  const node: ParquetNode = { name: row.name, fieldId: row.field_id === null ? null : Number(row.field_id), kind: childCount > 0 ? 'struct' : 'primitive', children }
  const annotation = `${row.converted_type ?? ''} ${row.logical_type ?? ''}`
  if (/\bLIST\b|ListType/.test(annotation) && children.length === 1) {
    const repeated = children[0]!
    // Standard 3-level lists wrap the element in a repeated group; legacy 2-level lists repeat the element itself.
    const legacy = repeated.children.length !== 1 || repeated.name === 'array' || repeated.name === `${row.name}_tuple`
    node.kind = 'list'
    node.element = legacy ? repeated : repeated.children[0]!
  } else if (/\bMAP\b|MAP_KEY_VALUE|MapType/.test(annotation) && children.length === 1 && children[0]!.children.length === 2) {
    node.kind = 'map'
    node.key = children[0]!.children[0]!
    node.value = children[0]!.children[1]!
  } else if (row.repetition_type === 'REPEATED') {
    // A bare repeated field (no LIST annotation) is read as a list of itself. (List/map wrapper groups are also
    // repeated; their parents above only look at their children, so marking them does no harm.)
    node.kind = 'list'
    node.element = { ...node, kind: childCount > 0 ? 'struct' : 'primitive' }
  }
  return node
}

/**
 * The parquet schema of each file (absolute paths), read with DuckDB's parquet_schema() in one query.
 * @throws Error from DuckDB when a file cannot be read.
 */
export async function readParquetSchemas(port: ParquetPort, files: string[]): Promise<Map<string, ParquetNode>> {
  const result = new Map<string, ParquetNode>()
  if (files.length === 0) return result
  const rows = (await port.query(
    `SELECT file_name, name, converted_type, logical_type, field_id, num_children, repetition_type FROM parquet_schema([${files.map(sqlString).join(', ')}])`
  )) as unknown as SchemaRow[]
  const byFile = new Map<string, SchemaRow[]>()
  for (const row of rows) {
    let list = byFile.get(row.file_name)
    if (!list) byFile.set(row.file_name, (list = []))
    list.push(row)
  }
  for (const [file, fileRows] of byFile) result.set(file, buildNode(fileRows, { i: 0 }))
  return result
}

function findChild(node: ParquetNode, field: StructField, mode: ColumnMappingMode): ParquetNode | undefined {
  if (mode === 'id') {
    const id = columnMappingId(field)
    if (id !== undefined) {
      const byId = node.children.find((c) => c.fieldId === id)
      if (byId) return byId
      // Files written before id mapping was enabled carry no field ids; fall through to the physical name.
      if (node.children.some((c) => c.fieldId !== null)) return undefined
    }
  }
  const wanted = physicalName(field, mode)
  return node.children.find((c) => c.name === wanted) ?? node.children.find((c) => c.name.toLowerCase() === wanted.toLowerCase())
}

/** The parquet column of a top-level field in one file, or undefined when the file lacks it. */
export function findPhysicalColumn(root: ParquetNode, field: StructField, mode: ColumnMappingMode): ParquetNode | undefined {
  return findChild(root, field, mode)
}

function containsStruct(type: DataType): boolean {
  if (isStruct(type)) return true
  if (isArray(type)) return containsStruct(type.elementType)
  if (isMap(type)) return containsStruct(type.keyType) || containsStruct(type.valueType)
  return false
}

/**
 * A DuckDB expression turning the physical value `expr` (shaped like `node`) into the logical value of `type`:
 * struct fields renamed to logical names, fields the file lacks as NULL, arrays and maps rebuilt element-wise.
 * The caller casts the result to the logical DuckDB type.
 * @throws DeltaError SCHEMA_MISMATCH when the file's shape contradicts the schema (e.g. a struct stored as a number).
 */
export function logicalValueExpr(type: DataType, node: ParquetNode, expr: string, mode: ColumnMappingMode, columnPath: string, depth = 0): string {
  if (!containsStruct(type)) return expr
  const mismatch = (): never => {
    throw new DeltaError('SCHEMA_MISMATCH', `column ${columnPath}: data file stores a ${node.kind} where the schema has ${JSON.stringify(type)}`, { column: columnPath })
  }
  if (isStruct(type)) {
    if (node.kind !== 'struct') mismatch()
    const parts = type.fields.map((f) => {
      const child = findChild(node, f, mode)
      const value = child ? logicalValueExpr(f.type, child, `struct_extract(${expr}, ${sqlString(child.name)})`, mode, `${columnPath}.${f.name}`, depth + 1) : 'NULL'
      return `${sqlString(f.name)}: ${value}`
    })
    return `CASE WHEN ${expr} IS NULL THEN NULL ELSE {${parts.join(', ')}} END`
  }
  if (isArray(type)) {
    if (node.kind !== 'list' || !node.element) mismatch()
    const v = `x${depth}`
    return `list_transform(${expr}, ${v} -> ${logicalValueExpr(type.elementType, node.element!, v, mode, `${columnPath}[]`, depth + 1)})`
  }
  if (isMap(type)) {
    if (node.kind !== 'map' || !node.key || !node.value) mismatch()
    const e = `e${depth}`
    const key = logicalValueExpr(type.keyType, node.key!, `${e}.key`, mode, `${columnPath}.key`, depth + 1)
    const value = logicalValueExpr(type.valueType, node.value!, `${e}.value`, mode, `${columnPath}.value`, depth + 1)
    return `map_from_entries(list_transform(map_entries(${expr}), ${e} -> {'key': ${key}, 'value': ${value}}))`
  }
  return expr
}

/** A stable text key of a file's physical layout, so files that resolve alike can share one read_parquet. */
export function schemaSignature(node: ParquetNode): string {
  const walk = (n: ParquetNode): string => `${n.name}#${n.fieldId ?? ''}:${n.kind}(${n.children.map(walk).join(',')})`
  return walk(node)
}

