// Tests that the allow-list, the method table and EngineApi name exactly the same methods (at compile time and at run time).
import { describe, expect, it } from 'vitest'
import { createFakeEngine } from '../testing/fakeEngine'
import type { EngineApi } from './engineApi'
import { engineMethods, methodSpec } from './methods'
import { type Equals, type MethodPath, type MethodPathOf, isMethodPath, methodPaths } from './methodPaths'

// Compile-time: a method added to the API is a new path, so the registered list no longer equals the API's paths.
type ApiWithExtraMethod = EngineApi & { sql: { explain(arg: { sql: string }): Promise<string> } }
// @ts-expect-error sql.explain is not registered in methodPaths, so this is a type error.
const extraMethodIsCaught: Equals<(typeof methodPaths)[number], MethodPathOf<ApiWithExtraMethod>> = true
void extraMethodIsCaught
// Compile-time: the registered list equals the API's paths today (this line fails to compile if it ever drifts).
const listIsExact: Equals<(typeof methodPaths)[number], MethodPath> = true
void listIsExact

describe('method allow-list', () => {
  it('lists every method of a real EngineApi object and nothing else', () => {
    const engine: EngineApi = createFakeEngine()
    const actual = Object.entries(engine)
      .filter(([key]) => key !== 'onEvent' && key !== 'calls' && key !== 'emit' && key !== 'listenerCount')
      .flatMap(([domain, methods]) => Object.keys(methods as object).map((name) => `${domain}.${name}`))
    expect([...actual].sort()).toEqual([...methodPaths].sort())
  })

  it('has a schema pair for every listed path and no others', () => {
    expect(Object.keys(engineMethods).sort()).toEqual([...methodPaths].sort())
    for (const path of methodPaths) expect(methodSpec(path)).toBeDefined()
  })

  it('does not treat inherited or partial names as methods', () => {
    for (const path of ['__proto__', 'constructor', 'hasOwnProperty', 'sql', 'sql.', '.execute', 'onEvent']) {
      expect(methodSpec(path)).toBeUndefined()
      expect(isMethodPath(path)).toBe(false)
    }
  })

  it('validates arguments: no-argument methods take nothing; others reject unknown keys', () => {
    expect(methodSpec('tables.listSchemas')!.arg.safeParse(undefined).success).toBe(true)
    expect(methodSpec('tables.listSchemas')!.arg.safeParse({}).success).toBe(false)
    expect(methodSpec('tables.listTables')!.arg.safeParse(undefined).success).toBe(true)
    expect(methodSpec('tables.listTables')!.arg.safeParse({ schema: 'silver' }).success).toBe(true)
    expect(methodSpec('sql.execute')!.arg.safeParse({ sql: 'SELECT 1', timeout: 3 }).success).toBe(false)
    expect(methodSpec('lakehouse.open')!.arg.safeParse({ dir: 'a\0b' }).success).toBe(false)
    expect(methodSpec('tables.history')!.arg.safeParse({ table: 'silver.workouts', limit: 10 }).success).toBe(true)
    expect(methodSpec('tables.history')!.arg.safeParse({ table: 'workouts' }).success).toBe(false)
  })
})
