// The lakehouse folder: lakebench.json, landing/, pipelines/, queries/, tables/<schema>/<table>/, checkpoints/.
import { promises as fs } from 'node:fs'
import path from 'node:path'

export const LAKEHOUSE_FILE = 'lakebench.json'
export const LAKEHOUSE_FORMAT_VERSION = 1
/** Schemas every new lakehouse starts with (the medallion layers plus system tables). */
export const DEFAULT_SCHEMAS = ['bronze', 'silver', 'gold', 'system'] as const
const LAYOUT_DIRS = ['landing', 'pipelines', 'queries', 'tables', 'checkpoints']

export interface LakehouseInfo {
  root: string
  name: string
  formatVersion: number
}

/** Raised when a folder is not a lakehouse, already is one, or its lakebench.json is unreadable. */
export class LakehouseError extends Error {
  constructor(readonly code: 'NOT_A_LAKEHOUSE' | 'LAKEHOUSE_EXISTS' | 'CORRUPT_LAKEHOUSE' | 'INVALID_NAME', message: string, readonly file?: string) {
    super(message)
    this.name = 'LakehouseError'
  }
}

/** Schema and table names become folder names: keep them to what Spark allows unquoted, so paths stay portable. */
const NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/

/** @throws LakehouseError INVALID_NAME when `name` cannot be a schema/table folder. */
export function assertValidName(kind: 'schema' | 'table', name: string): void {
  if (!NAME_PATTERN.test(name)) {
    throw new LakehouseError('INVALID_NAME', `Invalid ${kind} name '${name}': use letters, digits and underscores, starting with a letter or underscore`)
  }
}

async function isDirectory(p: string): Promise<boolean> {
  try {
    return (await fs.stat(p)).isDirectory()
  } catch {
    return false
  }
}

/** A lakehouse folder on disk. Schema and table names are case-insensitive, as in Spark; folders are created lower-case. */
export class Lakehouse {
  private constructor(readonly root: string, readonly info: LakehouseInfo) {}

  /**
   * Opens an existing lakehouse.
   * @throws LakehouseError NOT_A_LAKEHOUSE when `dir` has no lakebench.json; CORRUPT_LAKEHOUSE when it is not valid JSON.
   */
  static async open(dir: string): Promise<Lakehouse> {
    const root = path.resolve(dir)
    const file = path.join(root, LAKEHOUSE_FILE)
    let text: string
    try {
      text = await fs.readFile(file, 'utf8')
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code
      if (code === 'ENOENT' || code === 'ENOTDIR') {
        throw new LakehouseError('NOT_A_LAKEHOUSE', `${root} is not a lakehouse: ${file} not found (create one with \`lakebench init ${dir}\`)`, file)
      }
      throw e
    }
    let parsed: { name?: unknown; formatVersion?: unknown }
    try {
      parsed = JSON.parse(text) as typeof parsed
    } catch (e) {
      throw new LakehouseError('CORRUPT_LAKEHOUSE', `${file} is not valid JSON: ${(e as Error).message}`, file)
    }
    const name = typeof parsed.name === 'string' ? parsed.name : path.basename(root)
    const formatVersion = typeof parsed.formatVersion === 'number' ? parsed.formatVersion : LAKEHOUSE_FORMAT_VERSION
    if (formatVersion > LAKEHOUSE_FORMAT_VERSION) {
      throw new LakehouseError('CORRUPT_LAKEHOUSE', `${file} has format version ${formatVersion}; this Lakebench reads up to ${LAKEHOUSE_FORMAT_VERSION}`, file)
    }
    return new Lakehouse(root, { root, name, formatVersion })
  }

  /**
   * Creates the layout (lakebench.json, landing/, pipelines/, queries/, tables/{bronze,silver,gold,system}/, checkpoints/)
   * in `dir`, which may exist but must not already be a lakehouse.
   * @throws LakehouseError LAKEHOUSE_EXISTS when `dir` already holds lakebench.json.
   */
  static async create(dir: string, options: { name?: string } = {}): Promise<Lakehouse> {
    const root = path.resolve(dir)
    await fs.mkdir(root, { recursive: true })
    const file = path.join(root, LAKEHOUSE_FILE)
    const info: LakehouseInfo = { root, name: options.name ?? path.basename(root), formatVersion: LAKEHOUSE_FORMAT_VERSION }
    const body = JSON.stringify({ name: info.name, formatVersion: info.formatVersion, settings: {} }, null, 2) + '\n'
    try {
      // 'wx' makes creation exclusive: two concurrent inits cannot both succeed.
      await fs.writeFile(file, body, { flag: 'wx' })
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new LakehouseError('LAKEHOUSE_EXISTS', `${root} is already a lakehouse (${LAKEHOUSE_FILE} exists)`, file)
      throw e
    }
    for (const d of LAYOUT_DIRS) await fs.mkdir(path.join(root, d), { recursive: true })
    for (const s of DEFAULT_SCHEMAS) await fs.mkdir(path.join(root, 'tables', s), { recursive: true })
    return new Lakehouse(root, info)
  }

  /** The folder of schema.table (lower-case names, the form new tables get). Does not check that it exists. */
  tablePath(schema: string, table: string): string {
    return path.join(this.root, 'tables', schema.toLowerCase(), table.toLowerCase())
  }

  /** Folder of a schema (lower-case). */
  schemaPath(schema: string): string {
    return path.join(this.root, 'tables', schema.toLowerCase())
  }

  /** Schema names (folders under tables/), sorted. */
  async listSchemas(): Promise<string[]> {
    let entries: import('node:fs').Dirent[]
    try {
      entries = await fs.readdir(path.join(this.root, 'tables'), { withFileTypes: true })
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return []
      throw e
    }
    return entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name).sort()
  }

  /** Delta tables (folders with a _delta_log) in one schema or all, sorted by schema then name. */
  async listTables(schema?: string): Promise<{ schema: string; name: string; path: string }[]> {
    const schemas = schema === undefined ? await this.listSchemas() : [await this.resolveSchemaName(schema) ?? schema]
    const tables: { schema: string; name: string; path: string }[] = []
    for (const s of schemas) {
      let entries: import('node:fs').Dirent[]
      try {
        entries = await fs.readdir(path.join(this.root, 'tables', s), { withFileTypes: true })
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue
        throw e
      }
      for (const e of entries.filter((d) => d.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
        const p = path.join(this.root, 'tables', s, e.name)
        if (await isDirectory(path.join(p, '_delta_log'))) tables.push({ schema: s, name: e.name, path: p })
      }
    }
    return tables
  }

  /** The schema folder name matching `schema` ignoring case, or null. */
  async resolveSchemaName(schema: string): Promise<string | null> {
    const wanted = schema.toLowerCase()
    return (await this.listSchemas()).find((s) => s.toLowerCase() === wanted) ?? null
  }

  /** The table matching schema.table ignoring case, or null when there is no such Delta table. */
  async resolveTable(schema: string, table: string): Promise<{ schema: string; name: string; path: string } | null> {
    const s = await this.resolveSchemaName(schema)
    if (s === null) return null
    const wanted = table.toLowerCase()
    return (await this.listTables(s)).find((t) => t.name.toLowerCase() === wanted) ?? null
  }

  /** Creates a schema folder. Returns false when it already existed. @throws LakehouseError INVALID_NAME. */
  async createSchema(schema: string): Promise<boolean> {
    assertValidName('schema', schema)
    if (await this.resolveSchemaName(schema)) return false
    await fs.mkdir(this.schemaPath(schema), { recursive: true })
    return true
  }
}
