// platform/engine: picks the transport for where the renderer runs (Electron bridge or WebSocket) and connects.
import type { EngineApi } from '../../engine/api/engineApi'
import { connectRpc } from '../../engine/rpc/connectRpc'
import { type PreloadBridge, bridgeTransport } from './bridgeTransport'
import { webSocketTransport } from './webSocketTransport'

declare global {
  interface Window {
    /** Present only inside the desktop app (set by the preload). */
    lakebench?: PreloadBridge
  }
}

export type ConnectionState =
  | { status: 'connected' }
  | { status: 'disconnected'; reason: string }

export interface EngineConnection {
  engine: EngineApi
  /** Where the engine runs, for the header. */
  host: 'desktop' | 'browser'
  /** Calls `listener` once if the connection is lost, with a sentence saying what to do. */
  onLost(listener: (reason: string) => void): void
}

/** Connects to the engine: through the preload bridge in Electron, else over WebSocket to the page's own host. */
export function connectEngine(): EngineConnection {
  const lostListeners = new Set<(reason: string) => void>()
  let lostReason: string | undefined
  const lose = (reason: string) => {
    lostReason ??= reason
    for (const listener of lostListeners) listener(lostReason)
  }
  let engine: EngineApi
  let host: EngineConnection['host']
  if (window.lakebench) {
    engine = connectRpc(bridgeTransport(window.lakebench))
    host = 'desktop'
  } else {
    const token = new URLSearchParams(window.location.search).get('token') ?? ''
    const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws'
    const url = `${scheme}://${window.location.host}/rpc?token=${encodeURIComponent(token)}`
    engine = connectRpc(
      webSocketTransport(url, ({ everOpened }) =>
        lose(
          everOpened
            ? 'The connection to the engine closed. Restart “lakebench serve” and open the new URL it prints.'
            : token
              ? 'The engine refused this page: its access token is stale. Open the URL “lakebench serve” printed last.'
              : 'This page has no access token. Open the full URL printed by “lakebench serve” (it ends in ?token=…).'
        )
      )
    )
    host = 'browser'
  }
  return {
    engine,
    host,
    onLost(listener) {
      if (lostReason !== undefined) listener(lostReason)
      else lostListeners.add(listener)
    }
  }
}
