// JS scalar functions for DuckDB: a row-at-a-time wrapper with Spark's NULL-in/NULL-out rule and error reporting.
import { DuckDBScalarFunction, type DuckDBType, type DuckDBVector } from '@duckdb/node-api'

/** Raised inside a UDF body to fail the query with a Spark error class in the message. */
export class SparkFunctionError extends Error {}

/**
 * A scalar function whose body runs once per row. NULL in any argument gives NULL without calling `body` unless
 * `nullAware`; a SparkFunctionError fails the query with its message.
 */
export function rowFunction(name: string, parameterTypes: DuckDBType[], returnType: DuckDBType,
  body: (args: unknown[]) => unknown, options: { nullAware?: boolean; volatile?: boolean } = {}): DuckDBScalarFunction {
  return DuckDBScalarFunction.create({
    name,
    returnType,
    parameterTypes,
    ...(options.nullAware ? { specialHandling: true } : {}),
    ...(options.volatile ? { volatile: true } : {}),
    mainFunction: (info, input, output) => {
      const columns: DuckDBVector[] = parameterTypes.map((_, c) => input.getColumnVector(c))
      const out = output as unknown as { setItem(i: number, v: unknown): void; flush(): void }
      try {
        for (let row = 0; row < input.rowCount; row++) {
          const args = columns.map((v) => v.getItem(row))
          out.setItem(row, !options.nullAware && args.some((a) => a === null) ? null : body(args))
        }
        out.flush()
      } catch (e) {
        info.setError(e instanceof Error ? e.message : String(e))
      }
    }
  })
}
