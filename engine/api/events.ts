// EngineEvent: everything the engine reports without being asked, pushed to every connected UI.
import type { LakehouseInfo } from './lakehouseApi'

export type EngineEvent =
  /** A lakehouse was opened or created and is now the current one. */
  | { type: 'lakehouse.opened'; info: LakehouseInfo }
  /** A statement changed the catalog or table contents, so lists and histories may be stale. */
  | { type: 'tables.changed'; statements: string[] }

export type EngineEventListener = (event: EngineEvent) => void

/** Stops a listener; calling it twice is harmless. */
export type Unsubscribe = () => void
