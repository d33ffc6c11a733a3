// A Delta schema as the version browser shows it (Spark type text) and the top-level differences between two schemas.
import type { ColumnDescription, SchemaChange } from '../api/tablesApi'
import type { StructType } from '../delta/schema'
import { sparkTypeName } from '../sql/dialect/sparkTypes'

/** The top-level columns of `schema` with Spark type names (bigint, decimal(10,2), struct<a:int>) and comments. */
export function describeColumns(schema: StructType): ColumnDescription[] {
  return schema.fields.map((f) => {
    const comment = f.metadata?.comment
    return typeof comment === 'string'
      ? { name: f.name, type: sparkTypeName(f.type), nullable: f.nullable, comment }
      : { name: f.name, type: sparkTypeName(f.type), nullable: f.nullable }
  })
}

/**
 * Column-level changes from `before` to `after`, matched by name case-insensitively (as Spark resolves columns): added
 * and typeChanged/nullabilityChanged in `after`'s order, then removed in `before`'s order. `from`/`to` hold the type
 * text for type changes and 'nullable' / 'not null' for nullability changes.
 */
export function schemaChanges(before: ColumnDescription[], after: ColumnDescription[]): SchemaChange[] {
  const old = new Map(before.map((c) => [c.name.toLowerCase(), c]))
  const now = new Set(after.map((c) => c.name.toLowerCase()))
  const changes: SchemaChange[] = []
  const nullability = (nullable: boolean) => (nullable ? 'nullable' : 'not null')
  for (const c of after) {
    const prev = old.get(c.name.toLowerCase())
    if (!prev) changes.push({ column: c.name, change: 'added', to: c.type })
    else if (prev.type !== c.type) changes.push({ column: c.name, change: 'typeChanged', from: prev.type, to: c.type })
    else if (prev.nullable !== c.nullable) changes.push({ column: c.name, change: 'nullabilityChanged', from: nullability(prev.nullable), to: nullability(c.nullable) })
  }
  for (const c of before) if (!now.has(c.name.toLowerCase())) changes.push({ column: c.name, change: 'removed', from: c.type })
  return changes
}
