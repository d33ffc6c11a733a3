// One DuckDB instance and connection for the engine: safety settings, queries, cancel.
import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api'
import type { ParquetPort } from '../delta/parquetPort'

export interface DuckdbSessionOptions {
  /** Worker threads for DuckDB; defaults to DuckDB's own choice (cores). */
  threads?: number
}

/**
 * An in-memory DuckDB database that reads and writes files on disk. It is the engine's only compute.
 * Statements on one session run one at a time in the order they were issued.
 */
export class DuckdbSession implements ParquetPort {
  private queue: Promise<unknown> = Promise.resolve()

  private constructor(private readonly instance: DuckDBInstance, readonly connection: DuckDBConnection) {}

  static async create(options: DuckdbSessionOptions = {}): Promise<DuckdbSession> {
    const config: Record<string, string> = {}
    if (options.threads) config.threads = String(options.threads)
    const instance = await DuckDBInstance.create(':memory:', config)
    const connection = await instance.connect()
    const session = new DuckdbSession(instance, connection)
    // Partition values come from the Delta log, never from directory names.
    await connection.run('SET TimeZone = \'UTC\'')
    return session
  }

  /** Runs SQL and returns rows as JS objects (BIGINT as bigint; DATE/TIMESTAMP per @duckdb/node-api's JS conversion). */
  query(sql: string): Promise<Record<string, unknown>[]> {
    return this.serialize(async () => {
      const reader = await this.connection.runAndReadAll(sql)
      return reader.getRowObjectsJS() as Record<string, unknown>[]
    })
  }

  /** Runs SQL for its effect. */
  exec(sql: string): Promise<void> {
    return this.serialize(async () => {
      await this.connection.run(sql)
    })
  }

  /** Runs `work` with exclusive use of the connection (nothing else interleaves). */
  serialize<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work)
    this.queue = next.catch(() => undefined)
    return next
  }

  /** Interrupts the statement running now, if any. */
  interrupt(): void {
    this.connection.interrupt()
  }

  close(): void {
    this.connection.closeSync()
    this.instance.closeSync()
  }
}
