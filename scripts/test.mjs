// Runs every check the project has, in order: typecheck, build, unit tests (vitest), browser journeys (Playwright).
// Prints one closing line "N passed, N failed" over all tests so any CI reader can count them.
import { spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync, existsSync } from 'node:fs'
import path from 'node:path'

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..')
const reports = path.join(root, 'test-results', 'reports')
mkdirSync(reports, { recursive: true })

function run(label, command, args, extraEnv = {}) {
  console.log(`\n=== ${label}: ${command} ${args.join(' ')}`)
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...extraEnv } })
  return result.status ?? 1
}

function readJson(file) {
  if (!existsSync(file)) return null
  try {
    return JSON.parse(readFileSync(file, 'utf8'))
  } catch {
    return null
  }
}

const only = process.argv[2] // optional: 'unit' or 'e2e'
let failedSteps = []
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx'

if (!only) {
  if (run('typecheck', npx, ['tsc', '--noEmit', '-p', 'tsconfig.node.json']) !== 0) failedSteps.push('typecheck (node)')
  if (run('typecheck', npx, ['tsc', '--noEmit', '-p', 'tsconfig.web.json']) !== 0) failedSteps.push('typecheck (web)')
  if (run('build', npx, ['electron-vite', 'build']) !== 0) failedSteps.push('build')
}

let passed = 0
let failed = 0
let skipped = 0

if (!only || only === 'unit') {
  const unitReport = path.join(reports, 'vitest.json')
  const status = run('unit tests', npx, ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${unitReport}`])
  const unit = readJson(unitReport)
  if (unit) {
    passed += unit.numPassedTests
    failed += unit.numFailedTests
    skipped += unit.numPendingTests + (unit.numTodoTests ?? 0)
  }
  if (status !== 0) failedSteps.push('unit tests')
}

if (!only || only === 'e2e') {
  const e2eReport = path.join(reports, 'playwright.json')
  const status = run('browser journeys', npx, ['playwright', 'test', '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_NAME: e2eReport })
  const e2e = readJson(e2eReport)
  if (e2e?.stats) {
    passed += e2e.stats.expected
    failed += e2e.stats.unexpected + (e2e.stats.flaky ?? 0)
    skipped += e2e.stats.skipped
  }
  if (status !== 0) failedSteps.push('browser journeys')
}

if (failedSteps.length > 0) console.log(`\nFailed steps: ${failedSteps.join(', ')}`)
if (failedSteps.length > 0 && failed === 0) failed = failedSteps.length
console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`)
process.exit(failedSteps.length > 0 ? 1 : 0)
