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
  /** Creates a new, empty lakehouse folder and makes it the current one. */
  create(arg: { dir: string; name?: string }): Promise<LakehouseInfo>
}
