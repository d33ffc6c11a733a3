// ProfileRunner: table profiles on a DuckDB session of their own, so a long scan never queues the user's SQL and can be cancelled.
import { EngineError } from '../api/errors'
import type { TableProfile } from '../api/tablesApi'
import type { ParquetPort } from '../delta/parquetPort'
import type { Lakehouse } from '../lakehouse/folder'
import { DuckdbSession } from '../sql/duckdbSession'
import { type ProfileOptions, profileTable } from './profile'
import { openTable } from './tableBrowser'

/** The marker DuckDB puts in the message of a statement stopped by interrupt(). */
const INTERRUPTED = /INTERRUPT|Interrupted/i

export class ProfileRunner {
  private session: Promise<DuckdbSession> | null = null
  /** Bumped by cancel(): a run started under an older generation stops before its next scan. */
  private generation = 0

  constructor(private readonly options: ProfileOptions = {}) {}

  /**
   * Profiles `qualified` of `lakehouse` at `version` (latest when undefined); see profileTable for what is computed.
   * @throws EngineError CANCELLED (naming the table and version) when cancel() was called while it ran;
   *   TABLE_NOT_FOUND; the Delta and DuckDB errors of profileTable.
   */
  async profile(lakehouse: Lakehouse, qualified: string, version: number | undefined): Promise<TableProfile> {
    // Taken before any await, so a cancel() issued right after this call already counts.
    const started = this.generation
    const session = await this.open()
    const cancelled = () => new EngineError('CANCELLED', `Profiling ${qualified}${version === undefined ? '' : ` at version ${version}`} was cancelled`, { table: qualified, ...(version === undefined ? {} : { version }) })
    // Every scan goes through this port: once cancelled, the next one is refused rather than started.
    const port: ParquetPort = {
      query: (sql) => (this.generation !== started ? Promise.reject(cancelled()) : session.query(sql)),
      exec: (sql) => (this.generation !== started ? Promise.reject(cancelled()) : session.exec(sql))
    }
    if (this.generation !== started) throw cancelled()
    try {
      return await profileTable(await openTable({ lakehouse, session }, qualified), port, qualified, version, this.options)
    } catch (error) {
      if (this.generation !== started && INTERRUPTED.test(String((error as Error)?.message))) throw cancelled()
      throw error
    }
  }

  /** Stops every profile running now: the statement in flight is interrupted and no further scan starts. */
  async cancel(): Promise<void> {
    this.generation++
    if (this.session) (await this.session).interrupt()
  }

  /** Closes the session (after interrupting whatever runs). */
  async close(): Promise<void> {
    if (!this.session) return
    const session = await this.session.catch(() => null)
    this.session = null
    session?.interrupt()
    session?.close()
  }

  /** The session, created on first use: most sessions of the app never profile anything. */
  private open(): Promise<DuckdbSession> {
    this.session ??= DuckdbSession.create().catch((error) => {
      this.session = null
      throw error
    })
    return this.session
  }
}
