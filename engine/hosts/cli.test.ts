// End-to-end tests of ./bin/lakebench (spawned like a user runs it) and of the result formatters.
import { execFile } from 'node:child_process'
import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { formatCsv, formatTable } from './cli'

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/lakebench')

interface Run {
  code: number
  stdout: string
  stderr: string
}

/** Runs ./bin/lakebench as a user would, from `cwd`. */
function lakebench(args: string[], cwd: string, env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(BIN, args, { cwd, env: { ...process.env, ...env } }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr })
    })
  })
}

describe('lakebench CLI', () => {
  let dir: string
  let lake: string
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lb-cli-'))
    lake = path.join(dir, 'lake')
  })
  afterAll(async () => {
    await fs.rm(dir, { recursive: true, force: true })
  })

  it('initialises a lakehouse, writes and reads it as JSON from another directory', async () => {
    const init = await lakebench(['init', lake], dir)
    expect(init).toMatchObject({ code: 0 })
    expect(init.stdout).toContain(lake)
    const write = await lakebench(['sql', '--lakehouse', lake, "CREATE TABLE bronze.t (id BIGINT, big BIGINT, name STRING) USING DELTA; INSERT INTO bronze.t VALUES (1, 9007199254740993, 'a'), (2, 5, 'b')"], os.tmpdir())
    expect(write.code).toBe(0)
    const read = await lakebench(['sql', '-l', lake, '--format', 'json', 'SELECT * FROM bronze.t ORDER BY id'], os.tmpdir())
    expect(read.code).toBe(0)
    expect(JSON.parse(read.stdout)).toEqual([{ id: 1, big: '9007199254740993', name: 'a' }, { id: 2, big: 5, name: 'b' }])
  })

  it('prints a large result as a table and exits 0 when the reader closes the pipe early (lakebench sql ... | head -1)', async () => {
    const piped = await new Promise<Run>((resolve) => {
      execFile('bash', ['-c', `"${BIN}" sql -l "${lake}" "SELECT id AS i FROM range(200000) t(id)" | head -1; exit \${PIPESTATUS[0]}`], (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr })
      })
    })
    expect(piped.stderr).not.toContain('EPIPE')
    expect(piped).toMatchObject({ code: 0, stdout: 'i\n' })
  })

  it('defaults the lakehouse to LAKEBENCH_LAKEHOUSE, then the current directory', async () => {
    const viaEnv = await lakebench(['sql', '-f', 'csv', 'SELECT id, name FROM bronze.t VERSION AS OF 1 ORDER BY id'], os.tmpdir(), { LAKEBENCH_LAKEHOUSE: lake })
    expect(viaEnv).toMatchObject({ code: 0, stdout: 'id,name\n1,a\n2,b\n' })
    const viaCwd = await lakebench(['sql', 'SELECT count(*) AS n FROM bronze.t'], lake)
    expect(viaCwd.code).toBe(0)
    expect(viaCwd.stdout).toMatch(/^n\n-+\n2\n\(1 row\)/)
  })

  it('prints the history of a table', async () => {
    const history = await lakebench(['history', '-l', lake, '--format', 'json', 'bronze.t'], dir)
    expect(history.code).toBe(0)
    const entries = JSON.parse(history.stdout) as { version: number; operation: string; timestamp: string; metrics: Record<string, string> }[]
    expect(entries.map((e) => [e.version, e.operation])).toEqual([[1, 'WRITE'], [0, 'CREATE TABLE']])
    expect(entries[0]!.metrics.numOutputRows).toBe('2')
    expect(Number.isNaN(Date.parse(entries[0]!.timestamp))).toBe(false)
  })

  it('exits non-zero with one line naming the table and version', async () => {
    const missing = await lakebench(['sql', '-l', lake, 'SELECT * FROM bronze.tt'], dir)
    expect(missing.code).toBe(1)
    expect(missing.stderr.trim().split('\n')).toHaveLength(1)
    expect(missing.stderr).toContain('bronze.tt not found')
    expect(missing.stderr).toContain('Did you mean bronze.t?')
    const version = await lakebench(['sql', '-l', lake, 'SELECT * FROM bronze.t@v7'], dir)
    expect(version.code).toBe(1)
    expect(version.stderr).toContain('Version 7 of bronze.t does not exist; the table has versions 0..1')
    const notLake = await lakebench(['sql', 'SELECT 1'], dir)
    expect(notLake.code).toBe(1)
    expect(notLake.stderr).toContain(path.join(dir, 'lakebench.json'))
    const usage = await lakebench(['sql', '-l', lake, '--format', 'xml', 'SELECT 1'], dir)
    expect(usage.code).toBe(2)
  })
})

describe('lakebench CLI details', () => {
  let dir: string
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lb-cli2-'))
    await lakebench(['init', path.join(dir, 'lake')], dir)
  })
  afterAll(async () => {
    await fs.rm(dir, { recursive: true, force: true })
  })

  it('reads SQL from standard input with --file - and keeps repeated column names apart', async () => {
    const run = await new Promise<Run>((resolve) => {
      const child = execFile(BIN, ['sql', '-l', 'lake', '--file', '-', '-f', 'csv'], { cwd: dir }, (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr })
      })
      child.stdin!.end('SELECT 1 AS a, 2 AS a, 9007199254740993::BIGINT AS big, NULL AS n')
    })
    expect(run).toMatchObject({ code: 0, stdout: 'a,a_1,big,n\n1,2,9007199254740993,\n' })
  })

  it('names a missing SQL file, prints its version and documents itself', async () => {
    const missing = await lakebench(['sql', '-l', 'lake', '--file', 'nope.sql'], dir)
    expect(missing.code).toBe(1)
    expect(missing.stderr).toBe(`error FILE_NOT_FOUND: cannot read the SQL file ${path.join(dir, 'nope.sql')}: no such file\n`)
    const version = await lakebench(['--version'], dir)
    expect(version).toMatchObject({ code: 0, stdout: expect.stringMatching(/^\d+\.\d+\.\d+\n$/) })
    const help = await lakebench(['sql', '--help'], dir)
    expect(help.stdout).toContain('Examples:')
    expect(help.stdout).toContain('--file -')
    const history = await lakebench(['history', '-l', 'lake', 'bronze.nope'], dir)
    expect(history.code).toBe(1)
    // The statement was generated by the CLI: no line/column pointing into it.
    expect(history.stderr).not.toMatch(/column \d+/)
    expect(history.stderr).toContain('bronze.nope')
  })
})

describe('result formatting', () => {
  it('aligns table columns and quotes CSV fields', () => {
    expect(formatTable(['a', 'long_name'], [{ a: 1, long_name: null }, { a: 22, long_name: 'x' }])).toBe(
      'a  | long_name\n---+----------\n1  | NULL\n22 | x\n(2 rows)\n'
    )
    expect(formatCsv(['a', 'b'], [{ a: 'x,y', b: 'say "hi"' }, { a: null, b: { k: 1 } }])).toBe('a,b\n"x,y","say ""hi"""\n,"{""k"":1}"\n')
  })
})
