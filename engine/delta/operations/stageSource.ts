// Runs a write's source SELECT once and conforms its columns to the table schema by name (casts, NULL fill, NOT NULL).
import { randomUUID } from 'node:crypto'
import { DeltaError } from '../errors'
import { sqlIdent, sqlString, type ParquetPort } from '../parquetPort'
import { isStruct, type StructField, type StructType } from '../schema'
import { duckdbTypeOf } from '../typeMapping'

/** Rows ready to be written: a temp view with exactly the table's columns and types, over the materialised source. */
export interface StagedRows {
  /** Relation name usable in FROM. */
  relation: string
  rowCount: number
  /** Drops the temp objects; safe to call twice. */
  drop(): Promise<void>
}

function tempName(kind: string): string {
  return `__lakebench_${kind}_${randomUUID().replace(/-/g, '')}`
}

/** Removes trailing semicolons and whitespace so the text can be a subquery. */
function asSubquery(sql: string): string {
  return sql.trim().replace(/;+\s*$/, '')
}

/** Paths (with SQL expressions) of NOT NULL fields, nested struct fields included, each guarded by its parent being present. */
function notNullChecks(fields: readonly StructField[], parentExpr?: string, parentName?: string): { name: string; condition: string }[] {
  const out: { name: string; condition: string }[] = []
  for (const f of fields) {
    const expr = parentExpr ? `struct_extract(${parentExpr}, ${sqlString(f.name)})` : sqlIdent(f.name)
    const name = parentName ? `${parentName}.${f.name}` : f.name
    if (!f.nullable) out.push({ name, condition: parentExpr ? `${parentExpr} IS NOT NULL AND ${expr} IS NULL` : `${expr} IS NULL` })
    if (isStruct(f.type)) out.push(...notNullChecks(f.type.fields, expr, name))
  }
  return out
}

/**
 * Materialises `sourceSql` (a DuckDB SELECT) once and exposes it with the table's columns: source columns matched to
 * schema fields by name (case-insensitive), missing nullable fields as NULL, every column cast to duckdbTypeOf(type).
 * @throws DeltaError SCHEMA_MISMATCH naming the column when the query has a column the table lacks, lacks a NOT NULL
 *   column, has a type that cannot be cast, or a value that does not convert.
 * @throws DeltaError INVALID_ARGUMENT naming the column when a NOT NULL column receives NULL.
 * @throws Error from DuckDB when the source query itself fails.
 */
export async function stageSource(port: ParquetPort, sourceSql: string, schema: StructType): Promise<StagedRows> {
  const raw = tempName('source')
  const view = tempName('staged')
  let dropped = false
  const drop = async (): Promise<void> => {
    if (dropped) return
    dropped = true
    await port.exec(`DROP VIEW IF EXISTS ${sqlIdent(view)}`)
    await port.exec(`DROP TABLE IF EXISTS ${sqlIdent(raw)}`)
  }
  await port.exec(`CREATE TEMP TABLE ${sqlIdent(raw)} AS SELECT * FROM (${asSubquery(sourceSql)}) AS source_rows`)
  try {
    const described = await port.query(`DESCRIBE ${sqlIdent(raw)}`)
    const sourceColumns = new Map<string, { name: string; type: string }>()
    for (const row of described) {
      const name = String(row.column_name)
      const key = name.toLowerCase()
      if (sourceColumns.has(key)) throw new DeltaError('SCHEMA_MISMATCH', `the query returns column '${name}' twice (names are compared ignoring case)`, { column: name })
      sourceColumns.set(key, { name, type: String(row.column_type) })
    }
    const fieldKeys = new Set(schema.fields.map((f) => f.name.toLowerCase()))
    for (const c of sourceColumns.values()) {
      if (!fieldKeys.has(c.name.toLowerCase())) {
        throw new DeltaError('SCHEMA_MISMATCH', `column '${c.name}' of the query is not in the table schema (table columns: ${schema.fields.map((f) => f.name).join(', ')})`, { column: c.name })
      }
    }
    const targetTypes = schema.fields.map((f) => duckdbTypeOf(f.type))
    const normalised = await port.query(`DESCRIBE SELECT ${targetTypes.map((t, i) => `NULL::${t} AS "t${i}"`).join(', ')}`)
    const selects: string[] = []
    const conversionChecks: { field: StructField; source: string; target: string }[] = []
    for (const [i, f] of schema.fields.entries()) {
      const src = sourceColumns.get(f.name.toLowerCase())
      const target = targetTypes[i]!
      if (!src) {
        if (!f.nullable) throw new DeltaError('SCHEMA_MISMATCH', `the query has no column '${f.name}', which is NOT NULL in the table`, { column: f.name })
        selects.push(`NULL::${target} AS ${sqlIdent(f.name)}`)
        continue
      }
      selects.push(`CAST(${sqlIdent(src.name)} AS ${target}) AS ${sqlIdent(f.name)}`)
      if (src.type !== String(normalised[i]!.column_type)) conversionChecks.push({ field: f, source: src.name, target })
    }
    await checkConversions(port, raw, conversionChecks, sourceColumns)
    await port.exec(`CREATE TEMP VIEW ${sqlIdent(view)} AS SELECT ${selects.join(', ')} FROM ${sqlIdent(raw)}`)
    const checks = notNullChecks(schema.fields)
    const counts = await port.query(
      `SELECT count(*) AS n${checks.map((c, i) => `, count(*) FILTER (WHERE ${c.condition}) AS "null${i}"`).join('')} FROM ${sqlIdent(view)}`
    )
    const row = counts[0]!
    checks.forEach((c, i) => {
      const nulls = Number(row[`null${i}`])
      if (nulls > 0) throw new DeltaError('INVALID_ARGUMENT', `NOT NULL constraint violated for column ${c.name}: ${nulls} row(s) of the query have NULL there`, { column: c.name, rows: nulls })
    })
    return { relation: sqlIdent(view), rowCount: Number(row.n), drop }
  } catch (e) {
    await drop()
    throw e
  }
}

async function checkConversions(
  port: ParquetPort,
  raw: string,
  checks: readonly { field: StructField; source: string; target: string }[],
  sourceColumns: Map<string, { name: string; type: string }>
): Promise<void> {
  if (checks.length === 0) return
  const typeOf = (c: { source: string }) => sourceColumns.get(c.source.toLowerCase())!.type
  // Plan-time: a cast DuckDB cannot even bind (STRUCT to INTEGER, ...). Probe one column at a time to name it.
  for (const c of checks) {
    try {
      await port.query(`SELECT TRY_CAST(${sqlIdent(c.source)} AS ${c.target}) FROM ${sqlIdent(raw)} LIMIT 0`)
    } catch (e) {
      throw new DeltaError('SCHEMA_MISMATCH', `column '${c.field.name}' has type ${typeOf(c)} in the query, which cannot be cast to the table's ${c.target}: ${(e as Error).message.split('\n')[0]}`, { column: c.field.name, sourceType: typeOf(c), targetType: c.target })
    }
  }
  // Run time: values the cast cannot convert (e.g. 'abc' into INTEGER), reported with an example.
  const parts = checks.map((c, i) => {
    const bad = `${sqlIdent(c.source)} IS NOT NULL AND TRY_CAST(${sqlIdent(c.source)} AS ${c.target}) IS NULL`
    return `count(*) FILTER (WHERE ${bad}) AS "bad${i}", CAST(any_value(${sqlIdent(c.source)}) FILTER (WHERE ${bad}) AS VARCHAR) AS "example${i}"`
  })
  const row = (await port.query(`SELECT ${parts.join(', ')} FROM ${sqlIdent(raw)}`))[0]!
  checks.forEach((c, i) => {
    const bad = Number(row[`bad${i}`])
    if (bad > 0) {
      throw new DeltaError('SCHEMA_MISMATCH', `column '${c.field.name}': ${bad} value(s) of type ${typeOf(c)} cannot be converted to ${c.target}, e.g. '${String(row[`example${i}`])}'`, { column: c.field.name, rows: bad, example: row[`example${i}`] })
    }
  })
}
