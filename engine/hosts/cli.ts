// The `lakebench` command line: sql, init, history, run, stream and serve over a lakehouse folder.
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander'
import packageJson from '../../package.json'
import { Lakehouse, LakehouseError } from '../lakehouse/folder'
import { listPipelines } from '../pipeline/pipelineConfig'
import { loadPipeline, runLoadedPipeline } from '../pipeline/runner'
import { formatDiagnostic, formatFlowLine, formatRunSummary } from '../pipeline/run/runReport'
import { arrowRows, uniqueColumnNames } from '../sql/arrow'
import { SqlEngine, type StatementResult } from '../sql/queryRunner'
import { SqlError } from '../sql/sqlError'
import { registerStreamCommand } from './cliStream'

type Format = 'table' | 'json' | 'csv'

/** Where output goes; tests pass their own writers. */
export interface CliIo {
  out(text: string): void
  err(text: string): void
}

const processIo: CliIo = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) }

function defaultLakehouse(): string {
  return process.env.LAKEBENCH_LAKEHOUSE ?? process.cwd()
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return 'NULL'
  if (typeof value === 'object') return JSON.stringify(value)
  return String(value)
}

/** An aligned text table with a header rule, as psql/spark-sql print results. */
export function formatTable(columns: readonly string[], rows: readonly Record<string, unknown>[]): string {
  const cells = rows.map((r) => columns.map((c) => cellText(r[c])))
  // A loop, not Math.max(...cells): spreading hundreds of thousands of rows overflows the call stack.
  const widths = columns.map((c) => c.length)
  for (const row of cells) row.forEach((text, i) => { if (text.length > widths[i]!) widths[i] = text.length })
  const line = (values: readonly string[]): string => values.map((v, i) => v.padEnd(widths[i]!)).join(' | ').trimEnd()
  const rule = widths.map((w) => '-'.repeat(w)).join('-+-')
  return [line(columns), rule, ...cells.map(line)].join('\n') + `\n(${rows.length} row${rows.length === 1 ? '' : 's'})\n`
}

function csvField(value: unknown): string {
  if (value === null || value === undefined) return ''
  const text = cellText(value)
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

/** RFC 4180 CSV with a header row. */
export function formatCsv(columns: readonly string[], rows: readonly Record<string, unknown>[]): string {
  return [columns.map(csvField).join(','), ...rows.map((r) => columns.map((c) => csvField(r[c])).join(','))].join('\n') + '\n'
}

/** Prints statement results: json/csv show the last statement that returned rows; table shows every statement. */
function printResults(io: CliIo, results: readonly StatementResult[], format: Format): void {
  if (format === 'table') {
    for (const r of results) {
      if (r.kind === 'rows') io.out(formatTable(uniqueColumnNames(r.columns.map((c) => c.name)), arrowRows(r.arrow)))
      if (r.message) io.out(`${r.message}\n`)
    }
    return
  }
  const last = [...results].reverse().find((r) => r.kind === 'rows')
  const rows = last ? arrowRows(last.arrow) : []
  if (format === 'json') io.out(JSON.stringify(rows) + '\n')
  else io.out(last ? formatCsv(uniqueColumnNames(last.columns.map((c) => c.name)), rows) : '')
}

/** One line naming what failed (code, table, version, file, line), for stderr. */
export function errorLine(e: unknown): string {
  if (e instanceof SqlError) {
    const where = e.statementIndex !== undefined && e.line !== undefined && !/\bline \d+/.test(e.message) ? ` [statement ${e.statementIndex + 1}, line ${e.line}${e.column ? `, column ${e.column}` : ''}]` : ''
    return `error ${e.code}: ${e.message.replace(/\s*\n\s*/g, ' ')}${where}`
  }
  if (e instanceof LakehouseError) return `error ${e.code}: ${e.message}`
  const message = e instanceof Error ? e.message : String(e)
  const code = (e as { code?: unknown })?.code
  return `error${typeof code === 'string' ? ` ${code}` : ''}: ${message.replace(/\s*\n\s*/g, ' ')}`
}

/**
 * Reads SQL from a file, or from standard input for '-'.
 * @throws Error naming the file when it cannot be read.
 */
async function readSqlFile(file: string): Promise<string> {
  if (file === '-') {
    const chunks: Buffer[] = []
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
    return Buffer.concat(chunks).toString('utf8')
  }
  try {
    return await readFile(file, 'utf8')
  } catch (e) {
    const missing = (e as NodeJS.ErrnoException).code === 'ENOENT'
    throw new CliError(missing ? 'FILE_NOT_FOUND' : 'FILE_UNREADABLE', `cannot read the SQL file ${path.resolve(file)}: ${missing ? 'no such file' : (e as Error).message}`)
  }
}

/** A failure of the CLI itself (not of the engine), printed as `error CODE: message`. */
class CliError extends Error {
  constructor(readonly code: string, message: string) {
    super(message)
    this.name = 'CliError'
  }
}

async function withEngine<T>(dir: string, work: (engine: SqlEngine) => Promise<T>): Promise<T> {
  const engine = await SqlEngine.open(await Lakehouse.open(dir))
  try {
    return await work(engine)
  } finally {
    engine.close()
  }
}

/**
 * The lakehouse's only pipeline, or among several the one named like the lakehouse (a sample lakehouse `sbit` ships
 * `sbit` and `sbit_live`; plain `lakebench run` keeps running `sbit`).
 * @throws CliError PIPELINE_REQUIRED naming the pipelines when there are none or several and none is named like it.
 */
async function onlyPipeline(lakehouse: Lakehouse): Promise<string> {
  const names = await listPipelines(lakehouse)
  if (names.length === 1) return names[0]!
  if (names.includes(lakehouse.info.name)) return lakehouse.info.name
  throw new CliError('PIPELINE_REQUIRED', names.length === 0
    ? `${lakehouse.root} has no pipeline (expected pipelines/<name>/*.sql)`
    : `${lakehouse.root} has ${names.length} pipelines (${names.join(', ')}); name the one to run`)
}

/** A table argument as SQL: schema.table as given, a folder path as delta.`/abs/path`. */
function tableSql(table: string): string {
  if (/[\\/]/.test(table)) return `delta.\`${path.resolve(table).replace(/`/g, '``')}\``
  return table
}

function buildProgram(io: CliIo): Command {
  const program = new Command('lakebench')
    .description('Lakebench: Delta Lake tables and Spark SQL on your laptop')
    .version((packageJson as { version: string }).version, '-V, --version')
    .exitOverride()
    .configureOutput({ writeOut: (t) => io.out(t), writeErr: (t) => io.err(t) })
  const lakehouseOption = (): Option => new Option('-l, --lakehouse <dir>', 'lakehouse folder (default: $LAKEBENCH_LAKEHOUSE or the current directory)')
  const formatOption = (): Option => new Option('-f, --format <format>', 'output format').choices(['table', 'json', 'csv']).default('table')

  program.command('sql')
    .description('run Spark SQL statements (separated by ;) against a lakehouse')
    .argument('[sql]', 'the SQL text (or use --file)')
    .addOption(lakehouseOption())
    .addOption(formatOption())
    .option('--file <path>', "read the SQL from a file (e.g. a saved query in queries/); '-' reads standard input")
    .addHelpText('after', `
Examples:
  $ lakebench sql -l ./lake "SELECT * FROM silver.users VERSION AS OF 3 LIMIT 10"
  $ lakebench sql -l ./lake -f json "DESCRIBE HISTORY silver.users"
  $ lakebench sql -l ./lake --file queries/daily.sql -f csv > daily.csv
  $ echo "SHOW TABLES" | lakebench sql -l ./lake --file -

json and csv print the rows of the last statement that returned rows; table prints every statement.
64-bit integers beyond 2^53 and long decimals are JSON strings; timestamps are ISO 8601 (Z when zoned).`)
    .action(async (sqlArg: string | undefined, opts: { lakehouse?: string; format: Format; file?: string }) => {
      const sql = opts.file !== undefined ? await readSqlFile(opts.file) : sqlArg
      if (sql === undefined) {
        io.err('error: give the SQL text or --file <path>\n')
        throw new CommanderError(2, 'lakebench.missingSql', 'missing SQL')
      }
      const results = await withEngine(opts.lakehouse ?? defaultLakehouse(), (engine) => engine.execute(sql))
      printResults(io, results, opts.format)
    })

  program.command('init')
    .description('create a lakehouse folder (optionally filled with a sample)')
    .argument('<dir>', 'folder to create')
    .option('-s, --sample <name>', 'sample lakehouse to generate (sbit, retail): its landing data, pipeline and saved queries')
    .option('--data-sets <n>', 'with --sample: data sets to land, one after another (default 2)', (value) => {
      const n = Number(value)
      if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('--data-sets takes a whole number of data sets (0 or more)')
      return n
    })
    .option('--no-run', 'with --sample: only land the data; `lakebench run` then builds the tables (default: run the pipeline after each data set)')
    .option('-n, --name <name>', 'lakehouse name (default: the folder name)')
    .action(async (dir: string, opts: { sample?: string; name?: string; dataSets?: number; run: boolean }) => {
      let lakehouse: Lakehouse
      if (opts.sample) {
        const { createSampleLakehouse, SAMPLE_NAMES } = await import('../../samples/index')
        if (!(SAMPLE_NAMES as readonly string[]).includes(opts.sample)) {
          throw new LakehouseError('INVALID_NAME', `Unknown sample '${opts.sample}' (samples: ${SAMPLE_NAMES.join(', ')})`)
        }
        lakehouse = await createSampleLakehouse(dir, opts.sample as (typeof SAMPLE_NAMES)[number], { dataSets: opts.dataSets, run: opts.run })
      } else {
        lakehouse = await Lakehouse.create(dir, opts.name ? { name: opts.name } : {})
      }
      const tables = await lakehouse.listTables()
      io.out(`Created lakehouse ${lakehouse.info.name} at ${lakehouse.root}${tables.length ? ` with ${tables.length} tables` : ''}\n`)
    })

  program.command('history')
    .description('show the commits of a Delta table (newest first)')
    .argument('<table>', 'schema.table, or a table folder path')
    .addOption(lakehouseOption())
    .addOption(formatOption())
    .option('--limit <n>', 'only the newest n commits', (value) => {
      if (!/^\d+$/.test(value)) throw new InvalidArgumentError('expected a non-negative integer')
      return value
    })
    .action(async (table: string, opts: { lakehouse?: string; format: Format; limit?: string }) => {
      const limit = opts.limit === undefined ? '' : ` LIMIT ${Number.parseInt(opts.limit, 10)}`
      const [result] = await withEngine(opts.lakehouse ?? defaultLakehouse(), (engine) => engine.execute(`DESCRIBE HISTORY ${tableSql(table)}${limit}`)).catch((e: unknown) => {
        // The statement was ours, not the user's: a line/column in it would point nowhere.
        if (e instanceof SqlError) e.statementIndex = e.line = e.column = undefined
        throw e
      })
      const rows = arrowRows(result!.arrow).map((r) => ({
        version: r.version, timestamp: r.timestamp, operation: r.operation, parameters: r.operationParameters, metrics: r.operationMetrics
      }))
      const columns = ['version', 'timestamp', 'operation', 'parameters', 'metrics']
      if (opts.format === 'json') io.out(JSON.stringify(rows) + '\n')
      else if (opts.format === 'csv') io.out(formatCsv(columns, rows))
      else io.out(formatTable(columns, rows))
    })

  program.command('run')
    .description('run a pipeline (pipelines/<name>/*.sql) of a lakehouse: new input only, changed views only')
    .argument('[pipeline]', 'pipeline name (default: the only pipeline of the lakehouse)')
    .addOption(lakehouseOption())
    .option('--full-refresh [tables...]', 'recompute these tables from scratch (all selected tables when none is named)')
    .option('--select <tables...>', 'run only these tables and what they read')
    .option('--validate', 'parse and plan only; write nothing')
    .addHelpText('after', `
Examples:
  $ lakebench run -l ./lake                       # the lakehouse's only pipeline
  $ lakebench run -l ./lake sbit --select gold.gym_summary
  $ lakebench run -l ./lake sbit --full-refresh silver.users
  $ lakebench run -l ./lake sbit --validate

Prints one line per flow as it finishes; exits 1 naming the failing flow (and expectation) when a flow fails.`)
    .action(async (pipelineArg: string | undefined, opts: { lakehouse?: string; fullRefresh?: true | string[]; select?: string[]; validate?: boolean }) => {
      const lakehouse = await Lakehouse.open(opts.lakehouse ?? defaultLakehouse())
      const name = pipelineArg ?? (await onlyPipeline(lakehouse))
      const loaded = await loadPipeline(lakehouse, name)
      for (const d of loaded.diagnostics) io.err(`${formatDiagnostic(d)}\n`)
      const result = await runLoadedPipeline(lakehouse, loaded, {
        ...(opts.fullRefresh !== undefined ? { fullRefresh: opts.fullRefresh } : {}),
        ...(opts.select ? { select: opts.select } : {}),
        ...(opts.validate ? { validateOnly: true } : {}),
        onEvent: (e) => {
          if (e.type === 'flow_finished') io.out(`${formatFlowLine(e.result)}\n`)
        }
      })
      if (result.status === 'invalid') throw new CliError('PIPELINE_INVALID', `pipeline ${name} is not valid: ${result.error ?? 'see the diagnostics above'}`)
      if (opts.validate) {
        io.out(`Pipeline ${name} is valid: ${loaded.definition.datasets.length} dataset(s), ${loaded.definition.flows.length} flow(s) in order ${loaded.graph.order.join(', ')}\n`)
        return
      }
      io.out(`${formatRunSummary(result)}\n`)
      if (result.status !== 'completed') throw new CliError(result.status === 'cancelled' ? 'PIPELINE_CANCELLED' : 'PIPELINE_FAILED', result.error ?? `pipeline ${name} ${result.status}`)
    })

  registerStreamCommand(program, io, lakehouseOption, defaultLakehouse)

  program.command('serve')
    .description('serve the Lakebench UI for a lakehouse on 127.0.0.1 and print its URL')
    .argument('[dir]', 'lakehouse folder (default: $LAKEBENCH_LAKEHOUSE or the current directory)')
    .option('-p, --port <n>', 'port (default: any free port)')
    .option('--renderer <dir>', 'built renderer folder (default: out/renderer)')
    .action(async (dir: string | undefined, opts: { port?: string; renderer?: string }) => {
      const lakehouseDir = path.resolve(dir ?? defaultLakehouse())
      await Lakehouse.open(lakehouseDir) // fail fast with a clear message before starting a server
      // Loaded on demand: the web host pulls in the whole engine API and the HTTP stack.
      const webHostUrl = new URL('./webHost.ts', import.meta.url).href
      const { startWebHost } = (await import(webHostUrl).catch((e: unknown) => {
        if ((e as { code?: string }).code === 'ERR_MODULE_NOT_FOUND') throw new Error(`the web host is not part of this build (${fileURLToPath(webHostUrl)} is missing)`)
        throw e
      })) as {
        startWebHost(o: { lakehouseDir: string; port?: number; rendererDir?: string }): Promise<{ url: string; token: string; close(): Promise<void> }>
      }
      const host = await startWebHost({
        lakehouseDir,
        ...(opts.port ? { port: Number.parseInt(opts.port, 10) } : {}),
        ...(opts.renderer ? { rendererDir: path.resolve(opts.renderer) } : {})
      })
      io.out(`Lakebench is serving ${lakehouseDir} at ${host.url}\n`)
      await new Promise<void>((resolve) => {
        const stop = (): void => {
          process.off('SIGINT', stop)
          process.off('SIGTERM', stop)
          void host.close().finally(resolve)
        }
        process.on('SIGINT', stop)
        process.on('SIGTERM', stop)
      })
    })
  return program
}

/**
 * SQL text that starts with a comment ("-- saved query ...") looks like an option to the parser: move such an
 * argument (one starting with '-' and containing whitespace) after a '--' so it is read as the SQL operand.
 */
function sqlAsOperand(argv: readonly string[]): string[] {
  const args = [...argv]
  const at = args.findIndex((a, i) => i >= 2 && a.startsWith('-') && /\s/.test(a))
  if (at < 0 || args.includes('--')) return args
  const [sql] = args.splice(at, 1)
  return [...args, '--', sql!]
}

/**
 * Runs the CLI with process-style argv (node, script, ...args) and returns the exit code: 0 on success, 1 when a
 * command fails (one line on stderr naming the table/version/file), 2 for usage errors.
 */
export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const program = buildProgram(io)
  try {
    await program.parseAsync(sqlAsOperand(argv))
    return 0
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version exit through here with code 0.
      return e.exitCode === 0 ? 0 : 2
    }
    io.err(`${errorLine(e)}\n`)
    return 1
  }
}
