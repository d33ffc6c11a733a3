// Checks the import rules of ARCHITECTURE.md over the source tree, so a layering slip fails the build.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'

const repoRoot = path.resolve(__dirname, '..')

function sourceFiles(dir: string): string[] {
  const abs = path.join(repoRoot, dir)
  let entries: string[]
  try {
    entries = readdirSync(abs)
  } catch {
    return []
  }
  return entries.flatMap((name) => {
    const rel = path.join(dir, name)
    if (name === 'node_modules') return []
    if (statSync(path.join(repoRoot, rel)).isDirectory()) return sourceFiles(rel)
    return /\.(ts|tsx)$/.test(name) && !/\.test\.tsx?$/.test(name) ? [rel] : []
  })
}

/** Module specifiers imported (statically or dynamically) by a file, resolved to repo-relative paths where relative. */
function importsOf(file: string): { spec: string; target: string | null; typeOnly: boolean }[] {
  const text = readFileSync(path.join(repoRoot, file), 'utf8')
  const found: { spec: string; target: string | null; typeOnly: boolean }[] = []
  const pattern = /(?:^|\n)\s*(import|export)\s+(type\s+)?[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|(?:^|\n)\s*import\s+['"]([^'"]+)['"]/g
  for (const m of text.matchAll(pattern)) {
    const spec = (m[3] ?? m[4] ?? m[5])!
    const typeOnly = Boolean(m[2])
    const target = spec.startsWith('.') ? path.normalize(path.join(path.dirname(file), spec)) : null
    found.push({ spec, target, typeOnly })
  }
  return found
}

function violations(dir: string, rule: (imp: { spec: string; target: string | null; typeOnly: boolean }, file: string) => string | null): string[] {
  return sourceFiles(dir).flatMap((file) => importsOf(file).map((imp) => rule(imp, file)).filter((v): v is string => v !== null))
}

describe('import rules', () => {
  it('engine/ never imports electron, react or the renderer', () => {
    expect(violations('engine', (imp, file) =>
      /^(electron|react|react-dom)(\/|$)/.test(imp.spec) || imp.target?.startsWith('renderer') || imp.target?.startsWith('electron')
        ? `${file} imports ${imp.spec}` : null)).toEqual([])
  })

  it('only the hosts (CLI, sample builder) reach samples/: the engine proper never depends on sample data', () => {
    expect(violations('engine', (imp, file) =>
      imp.target?.startsWith('samples') && !/^engine\/(hosts|testing)\//.test(file) && !file.endsWith('.test.ts') ? `${file} imports ${imp.spec}` : null)).toEqual([])
  })

  it('engine/delta imports no other engine module', () => {
    expect(violations('engine/delta', (imp, file) =>
      imp.target && imp.target.startsWith('engine') && !imp.target.startsWith('engine/delta') ? `${file} imports ${imp.spec}` : null)).toEqual([])
  })

  it('engine/sql uses only delta/ among engine modules', () => {
    expect(violations('engine/sql', (imp, file) =>
      imp.target && imp.target.startsWith('engine') && !/^engine\/(sql|delta|lakehouse|api)/.test(imp.target) ? `${file} imports ${imp.spec}` : null)).toEqual([])
  })

  it('renderer/ imports engine types only, and connectRpc/protocol from engine/rpc', () => {
    expect(violations('renderer', (imp, file) => {
      if (!imp.target?.startsWith('engine')) return null
      if (imp.target.startsWith('engine/api') && (imp.typeOnly || imp.target.startsWith('engine/api/methods'))) return null
      if (/^engine\/rpc\/(connectRpc|protocol)/.test(imp.target)) return null
      // Component-test support (never imported by the app, so never bundled) runs components against the fake engine.
      if (file.startsWith(`renderer${path.sep}testing${path.sep}`) && imp.target.startsWith('engine/testing/')) return null
      return `${file} imports ${imp.spec}`
    })).toEqual([])
  })

  it('only tests import renderer/testing (so the fake engine never reaches the bundle)', () => {
    expect(violations('renderer', (imp, file) =>
      imp.target?.startsWith(`renderer${path.sep}testing`) && !file.startsWith(`renderer${path.sep}testing${path.sep}`) ? `${file} imports ${imp.spec}` : null)).toEqual([])
  })

  it('a renderer feature never imports another feature', () => {
    expect(violations('renderer/features', (imp, file) => {
      const own = file.split(path.sep)[2]
      const m = imp.target?.match(/^renderer\/features\/([^/]+)/)
      return m && m[1] !== own ? `${file} imports ${imp.spec}` : null
    })).toEqual([])
  })

  it('electron/ reaches the engine only through api, rpc and createEngine', () => {
    expect(violations('electron', (imp, file) => {
      if (!imp.target?.startsWith('engine')) return null
      return /^engine\/(api|rpc|createEngine)/.test(imp.target) ? null : `${file} imports ${imp.spec}`
    })).toEqual([])
  })

  it('finds the imports it checks (the scanner is not blind)', () => {
    const imports = importsOf('engine/delta/logStore.ts').map((i) => i.spec)
    expect(imports).toContain('node:fs')
  })
})
