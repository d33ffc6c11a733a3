// globalSetup: builds a fresh sbit sample lakehouse in a temp folder and serves it with `lakebench serve` for the run.
import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'

const repo = resolve(import.meta.dirname, '../..')
const cli = join(repo, 'bin/lakebench')

/**
 * Sets LAKEBENCH_E2E_URL (the served workbench, token included) and LAKEBENCH_E2E_LAKEHOUSE (its folder) for the
 * tests, and returns the teardown that stops the server and deletes the folder.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  if (!existsSync(join(repo, 'out/renderer/index.html'))) {
    throw new Error('The workbench UI is not built (out/renderer/index.html is missing): run `npm run build` before the browser tests.')
  }
  const dir = await mkdtemp(join(tmpdir(), 'lakebench-e2e-'))
  const lakehouse = join(dir, 'sbit')
  await promisify(execFile)(process.execPath, [cli, 'init', lakehouse, '--sample', 'sbit'], { cwd: repo })
  // The server's recents file goes to the temp folder too: journeys that switch lakehouses must not touch the user's list.
  const env = { ...process.env, XDG_DATA_HOME: join(dir, 'data') }
  const server = spawn(process.execPath, [cli, 'serve', lakehouse], { cwd: repo, env, stdio: ['ignore', 'pipe', 'pipe'] })
  const url = await waitForUrl(server)
  process.env.LAKEBENCH_E2E_URL = url
  process.env.LAKEBENCH_E2E_LAKEHOUSE = lakehouse
  return async () => {
    await stop(server)
    await rm(dir, { recursive: true, force: true })
  }
}

/** Resolves with the URL `lakebench serve` prints; rejects with its output if it exits or stays silent for 60 s. */
function waitForUrl(server: ChildProcess): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    let output = ''
    const timer = setTimeout(() => fail(new Error(`lakebench serve printed no URL within 60 s:\n${output}`)), 60_000)
    const fail = (error: Error) => {
      clearTimeout(timer)
      server.kill('SIGTERM')
      reject(error)
    }
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      const match = output.match(/http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+/)
      if (match) {
        clearTimeout(timer)
        resolvePromise(match[0])
      }
    }
    server.stdout!.on('data', onData)
    server.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()))
    server.once('exit', (code) => fail(new Error(`lakebench serve exited with code ${code}:\n${output}`)))
  })
}

function stop(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null) return Promise.resolve()
  return new Promise((resolvePromise) => {
    server.once('exit', () => resolvePromise())
    server.kill('SIGTERM')
  })
}
