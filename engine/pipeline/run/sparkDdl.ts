// Spark DDL column lists ('id INT, name STRING NOT NULL, ...') as DuckDB column types, for read_files schema and schemaHints.
import { duckdbTypeOf } from '../../delta/typeMapping'
import { parseSparkType } from '../../sql/dialect/sparkTypes'
import { TokenCursor } from '../../sql/dialect/tokenCursor'
import { tokenize } from '../../sql/dialect/tokenizer'
import { PipelineRunError } from './runTypes'

export interface DdlColumn {
  name: string
  /** DuckDB type of the column. */
  type: string
}

/**
 * Parses `name TYPE [NOT NULL] [COMMENT '...'], ...` (Spark DDL as read_files' `schema` and `schemaHints` take it).
 * @throws PipelineRunError INVALID_SCHEMA naming the option, the text and the position of the problem.
 */
export function parseDdlColumns(ddl: string, option: string): DdlColumn[] {
  try {
    const cursor = new TokenCursor(tokenize(ddl), ddl)
    const columns: DdlColumn[] = []
    while (!cursor.atEnd()) {
      const name = cursor.expectIdentifier('a column name')
      cursor.acceptSymbol(':')
      const type = parseSparkType(cursor)
      cursor.acceptKeywords('NOT', 'NULL')
      if (cursor.acceptKeywords('COMMENT')) cursor.next()
      columns.push({ name, type: duckdbTypeOf(type) })
      if (!cursor.acceptSymbol(',')) break
    }
    if (!cursor.atEnd()) cursor.fail("expected ',' between columns")
    return columns
  } catch (e) {
    throw new PipelineRunError('INVALID_SCHEMA', `${option} '${ddl}' is not a Spark column list: ${(e as Error).message}`, { option })
  }
}
