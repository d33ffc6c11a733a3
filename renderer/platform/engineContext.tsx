// engineContext: hands the connected EngineApi to components, plus the connection's health.
import { type ReactNode, createContext, useContext, useEffect, useState } from 'react'
import type { EngineApi } from '../../engine/api/engineApi'
import type { EngineConnection } from './engine'

interface EngineContextValue {
  engine: EngineApi
  host: EngineConnection['host']
  /** Set once the connection is lost: what happened and what to do. */
  lostReason: string | undefined
}

const EngineContext = createContext<EngineContextValue | null>(null)

export function EngineProvider({ connection, children }: { connection: EngineConnection; children: ReactNode }) {
  const [lostReason, setLostReason] = useState<string | undefined>()
  useEffect(() => connection.onLost(setLostReason), [connection])
  return <EngineContext.Provider value={{ engine: connection.engine, host: connection.host, lostReason }}>{children}</EngineContext.Provider>
}

/** The engine and connection state; throws when used outside EngineProvider (a wiring bug). */
export function useEngineContext(): EngineContextValue {
  const value = useContext(EngineContext)
  if (!value) throw new Error('useEngineContext must be used inside <EngineProvider>')
  return value
}

/** The connected EngineApi. */
export function useEngine(): EngineApi {
  return useEngineContext().engine
}
