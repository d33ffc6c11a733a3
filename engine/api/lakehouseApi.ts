// The lakehouse domain of the Engine API: which lakehouse folder is open, opening and creating one.

/** What identifies an open lakehouse folder. */
export interface LakehouseInfo {
  /** Absolute path of the lakehouse folder. */
  root: string
  /** Display name from lakebench.json. */
  name: string
  /** Folder format version from lakebench.json. */
  formatVersion: number
}

export interface LakehouseApi {
  /** The lakehouse open now. */
  info(): Promise<LakehouseInfo>
  /** Opens an existing lakehouse folder and makes it the current one. Fails with NOT_A_LAKEHOUSE-style codes from the engine. */
  open(arg: { dir: string }): Promise<LakehouseInfo>
  /**
   * Creates a new lakehouse folder and makes it the current one: empty, or filled with a sample whose pipeline runs
   * (progress arrives as `lakehouse.progress` events naming `dir`). Fails with LAKEHOUSE_EXISTS when `dir` already is one.
   */
  create(arg: { dir: string; name?: string; sample?: LakehouseSampleName }): Promise<LakehouseInfo>
  /** Lakehouses this user opened lately, most recent first, each saying whether its folder is still a lakehouse. */
  recent(): Promise<RecentLakehouse[]>
}

/** The samples lakehouse.create can fill a new lakehouse with. */
export const lakehouseSampleNames = ['sbit', 'retail'] as const
export type LakehouseSampleName = (typeof lakehouseSampleNames)[number]

/** One remembered lakehouse (kept per user, outside any lakehouse). */
export interface RecentLakehouse {
  /** Absolute path of the folder. */
  root: string
  /** Its name when last opened. */
  name: string
  /** When it was last opened (ms since the epoch). */
  lastOpened: number
  /** false when the folder no longer holds a lakehouse (moved or deleted). */
  available: boolean
}

/** One step of creating a sample lakehouse, as reported by `lakehouse.progress`. */
export interface LakehouseCreationStep {
  /** What is happening, as a short sentence ("Running the pipeline on data set 1"). */
  label: string
  /** 0-based position of this step. */
  index: number
  /** How many steps there are in all. */
  count: number
}
