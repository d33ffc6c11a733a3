// Test support for pipeline runs: a temp lakehouse with landing files and pipeline SQL, a fixed clock, and table readers.
import { spawn } from 'node:child_process'
import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Lakehouse } from '../../lakehouse/folder'
import { arrowRows } from '../../sql/arrow'
import { SqlEngine } from '../../sql/queryRunner'
import { DeltaTable } from '../../delta/deltaTable'
import { DuckdbSession } from '../../sql/duckdbSession'

/** 2026-01-15T10:00:00Z: every run of a test sees the same time, so crash and clean runs produce the same rows. */
export const FIXED_NOW = Date.UTC(2026, 0, 15, 10, 0, 0)
export const fixedClock = { now: () => FIXED_NOW }

const created: string[] = []

/** Creates a lakehouse in a new temp folder with `files` (path relative to the root -> content). */
export async function createTestLakehouse(files: Record<string, string>): Promise<Lakehouse> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lakebench-pipeline-'))
  created.push(dir)
  const lakehouse = await Lakehouse.create(dir)
  await writeFiles(lakehouse, files)
  return lakehouse
}

/** Removes every lakehouse createTestLakehouse made in this process (call from afterAll). */
export async function removeTestLakehouses(): Promise<void> {
  for (const dir of created.splice(0)) await fs.rm(dir, { recursive: true, force: true })
}

export async function writeFiles(lakehouse: Lakehouse, files: Record<string, string>): Promise<void> {
  for (const [rel, content] of Object.entries(files)) {
    const file = path.join(lakehouse.root, rel)
    await fs.mkdir(path.dirname(file), { recursive: true })
    await fs.writeFile(file, content)
  }
}

/** Rows of a query over the lakehouse (BIGINT as numbers where safe), in the order the query gives. */
export async function queryRows(lakehouse: Lakehouse, sql: string): Promise<Record<string, unknown>[]> {
  const engine = await SqlEngine.open(lakehouse)
  try {
    const results = await engine.execute(sql)
    return arrowRows(results.at(-1)!.arrow).map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])))
  } finally {
    engine.close()
  }
}

/** The latest version of `schema.table`, or null when it does not exist. */
export async function tableVersion(lakehouse: Lakehouse, stored: string): Promise<number | null> {
  const [schema, name] = stored.split('.') as [string, string]
  const found = await lakehouse.resolveTable(schema, name)
  if (!found) return null
  const session = await DuckdbSession.create({ threads: 1 })
  try {
    return (await (await DeltaTable.open(found.path, session)).snapshot()).version
  } finally {
    session.close()
  }
}

/** Every table's rows as sorted JSON lines (system tables excluded): equal states give equal strings. */
export async function contentOf(lakehouse: Lakehouse): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {}
  for (const t of await lakehouse.listTables()) {
    if (t.schema === 'system') continue
    const rows = await queryRows(lakehouse, `SELECT * FROM ${t.schema}.${t.name}`)
    out[`${t.schema}.${t.name}`] = rows.map((r) => JSON.stringify(r)).sort()
  }
  return out
}

export const SHOP_USERS_1 = 'id,name,age,signup\n1,ann,30,2024-01-01 10:00:00\n2,bob,x,2024-01-02 11:00:00\n3,,40,2024-01-03 12:00:00\n4,dan,12,bad-date\n'
export const SHOP_EVENTS_1 = '{"user_id":1,"kind":"login","amount":1.5}\n{"user_id":2,"kind":"logout","amount":"abc"}\nnot json at all\n{"user_id":1,"kind":"login","amount":2.5}\n'

export const SHOP_PIPELINE = {
  'pipelines/shop/pipeline.json': JSON.stringify({ target: 'silver' }),
  'pipelines/shop/01_bronze.sql': `
CREATE OR REFRESH STREAMING TABLE bronze.users
AS SELECT * FROM STREAM read_files('landing/users', format => 'csv', header => true, schema => 'id INT, name STRING, age INT, signup TIMESTAMP');

CREATE OR REFRESH STREAMING TABLE bronze.events
AS SELECT *, _metadata.file_name AS file_name FROM STREAM read_files('landing/events', format => 'json', schemaHints => 'amount DOUBLE');
`,
  'pipelines/shop/02_silver.sql': `
CREATE OR REFRESH STREAMING TABLE silver.users (
  CONSTRAINT has_name EXPECT (name IS NOT NULL) ON VIOLATION DROP ROW,
  CONSTRAINT adult EXPECT (age >= 18)
) AS SELECT id, name, age, signup FROM STREAM(bronze.users);

CREATE OR REFRESH STREAMING TABLE silver.events (
  CONSTRAINT known_user EXPECT (user_id IS NOT NULL) ON VIOLATION DROP ROW
) AS SELECT user_id, kind, amount FROM STREAM(bronze.events);
`,
  'pipelines/shop/03_gold.sql': `
CREATE OR REFRESH MATERIALIZED VIEW gold.user_activity AS
SELECT u.id, u.name, count(e.user_id) AS events, coalesce(sum(e.amount), 0) AS amount
FROM silver.users u LEFT JOIN silver.events e ON e.user_id = u.id
GROUP BY u.id, u.name;
`
}

/** A bronze -> silver -> gold pipeline `shop` over CSV users and JSON events (with malformed values and a corrupt line). */
export async function shopLakehouse(): Promise<Lakehouse> {
  return createTestLakehouse({ ...SHOP_PIPELINE, 'landing/users/u1.csv': SHOP_USERS_1, 'landing/events/e1.json': SHOP_EVENTS_1 })
}


const CRASH_WORKER = path.join(import.meta.dirname, 'pipelineCrashWorker.ts')
const REPO = path.resolve(import.meta.dirname, '../../..')

/**
 * Runs `pipeline` of the lakehouse in `dir` in a child process (pipelineCrashWorker, clock FIXED_NOW) that SIGKILLs
 * itself at `stage` of `flow`; resolves with the signal. @throws Error with the worker's output when it did not die so.
 */
export async function runPipelineUntilKilled(dir: string, pipeline: string, stage: string, flow: string): Promise<NodeJS.Signals | null> {
  const child = spawn(process.execPath, ['--import', 'tsx', CRASH_WORKER, dir, pipeline, stage, flow, String(FIXED_NOW)], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout.on('data', (d: Buffer) => (output += d.toString()))
  child.stderr.on('data', (d: Buffer) => (output += d.toString()))
  const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, s) => resolve(s)))
  if (signal !== 'SIGKILL') throw new Error(`the worker was expected to die at ${stage} of ${flow} but exited normally: ${output}`)
  return signal
}
