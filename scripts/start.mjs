#!/usr/bin/env node
// `npm start`: opens the workbench on a lakehouse: in Electron when its binary is installed, else in the browser via the web host.
//
// Usage: node scripts/start.mjs [LAKEHOUSE_DIR] [--port N] [--web]   (--web: the web host even where Electron exists)
// Without a folder it opens the last lakehouse of the user's recents ($XDG_DATA_HOME/lakebench/recent.json, else
// ~/.local/share/lakebench/recent.json) while it still exists; else the sample in the user's data folder
// (…/lakebench/sbit), creating it with `lakebench init DIR --sample sbit` (its pipeline runs) the first time.
// Electron keeps its own recents in its userData folder and makes the same choice in its main process.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { register } from 'tsx/esm/api'

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const cli = join(repo, 'bin', 'lakebench')

/**
 * The Electron executable if it is actually on disk, else undefined. Reads electron's own path.txt instead of
 * require('electron'), because from Electron 42 on that require starts a download when the binary is missing.
 */
function electronBinary() {
  try {
    const packageDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'))
    const pathFile = join(packageDir, 'path.txt')
    const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : undefined
    const distDir = process.env.ELECTRON_OVERRIDE_DIST_PATH || join(packageDir, 'dist')
    if (!relative && !process.env.ELECTRON_OVERRIDE_DIST_PATH) return undefined
    const executable = join(distDir, relative || 'electron')
    return existsSync(executable) ? executable : undefined
  } catch {
    return undefined
  }
}

function parseArgs(argv) {
  let dir
  let port
  let web = false
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--web') web = true
    else if (argv[i] === '--port') port = argv[++i]
    else if (argv[i].startsWith('--port=')) port = argv[i].slice('--port='.length)
    else if (!dir) dir = argv[i]
    else fail(`Unexpected argument ${argv[i]}. Usage: npm start -- [LAKEHOUSE_DIR] [--port N] [--web]`)
  }
  return { dir, port, web }
}

/** The last lakehouse of the user's recents while it exists, else the sbit sample (created on the first start). */
async function chooseLakehouse() {
  register()
  const { chooseStartLakehouse, recentsFileIn, userDataDir } = await import(pathToFileURL(join(repo, 'engine/hosts/startChoice.ts')).href)
  const dataDir = userDataDir()
  const choice = await chooseStartLakehouse(recentsFileIn(dataDir), join(dataDir, 'sbit'))
  if (choice.kind === 'recent') {
    console.log(`Opening ${choice.name}, the lakehouse you opened last (${choice.dir}).`)
  } else if (!choice.exists) {
    console.log(`Creating the sample lakehouse at ${choice.dir} and running its pipeline (first start only)…`)
    const init = spawnSync(process.execPath, [cli, 'init', choice.dir, '--sample', 'sbit'], { stdio: 'inherit' })
    if (init.status !== 0) fail(`could not create the sample lakehouse at ${choice.dir}`)
  }
  return choice.dir
}

function fail(message) {
  console.error(`lakebench: ${message}`)
  process.exit(1)
}

const { dir: given, port, web } = parseArgs(process.argv.slice(2))
if (!existsSync(join(repo, 'out', 'renderer', 'index.html'))) fail('the workbench is not built: run `npm run build` first (npm start does this for you).')

const electron = web ? undefined : electronBinary()
if (electron) {
  // Without a folder, the main process picks the last lakehouse of its own recents (or the sample) itself.
  console.log(`Mode: desktop. Starting Electron${given ? ` on ${resolve(given)}` : ''}`)
  const app = spawn(electron, [repo, ...(given ? [`--lakehouse=${resolve(given)}`] : [])], { stdio: 'inherit' })
  app.on('exit', (code) => process.exit(code ?? 0))
} else {
  const lakehouseDir = given ? resolve(given) : await chooseLakehouse()
  const server = spawn(process.execPath, [cli, 'serve', lakehouseDir, ...(port ? ['--port', port] : [])], { stdio: ['ignore', 'pipe', 'inherit'] })
  let announced = false
  let buffered = ''
  server.stdout.on('data', (chunk) => {
    if (announced) return void process.stdout.write(chunk)
    buffered += chunk.toString()
    const url = buffered.match(/http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+/)?.[0]
    if (!url) return
    announced = true
    const why = web ? 'web host requested' : 'Electron binary not available here'
    console.log(`Mode: browser. ${why}; serving the same workbench in your browser at ${url}`)
    console.log(`Lakehouse: ${lakehouseDir}. Press Ctrl+C to stop.`)
  })
  // Ctrl+C reaches the server through the process group too; forwarding covers `kill <pid>` of this script.
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal))
  server.on('exit', (code, signal) => {
    if (!announced && code !== 0) console.error(buffered)
    process.exit(signal ? 0 : (code ?? 0))
  })
}
