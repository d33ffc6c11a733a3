// connectRpc: a typed EngineApi proxy over a transport, used by the renderer (and by tests) to reach a served engine.
import type { EngineApi } from '../api/engineApi'
import { EngineError, boundaryErrorCodes, invalidPayloadError } from '../api/errors'
import type { EngineEvent, EngineEventListener } from '../api/events'
import { type MethodPath, methodPaths, methodSpec } from '../api/methods'
import { type RpcTransport, rpcServerMessageSchema } from './protocol'

/** An EngineApi reached through a transport, plus the means to hang up. */
export interface RemoteEngine extends EngineApi {
  /** Closes the transport; pending calls reject with DISCONNECTED. */
  close(): void
}

interface PendingCall {
  method: MethodPath
  resolve: (value: unknown) => void
  reject: (error: EngineError) => void
}

/**
 * Returns an EngineApi whose methods send requests over `transport` and resolve with the validated results.
 * Arguments are validated before sending (a bad call fails fast, locally, with INVALID_PAYLOAD); results and events
 * are validated on arrival. Failed calls reject with EngineError carrying the engine's code, message and detail.
 */
export function connectRpc(transport: RpcTransport): RemoteEngine {
  let nextId = 1
  let closed = false
  const pending = new Map<number, PendingCall>()
  const listeners = new Set<EngineEventListener>()

  transport.onMessage((raw) => {
    const parsed = rpcServerMessageSchema.safeParse(raw)
    if (!parsed.success) {
      // Fail the call it answers, if it names one, rather than leave that call waiting forever.
      const id = (raw as { id?: unknown } | null)?.id
      const call = typeof id === 'number' ? pending.get(id) : undefined
      if (call && typeof id === 'number') {
        pending.delete(id)
        call.reject(new EngineError(boundaryErrorCodes.INVALID_MESSAGE, `Malformed response to ${call.method}`, { method: call.method }))
      }
      return
    }
    const message = parsed.data
    if (message.kind === 'event') {
      for (const listener of listeners) listener(message.event as EngineEvent)
      return
    }
    const call = pending.get(message.id)
    if (!call) return
    pending.delete(message.id)
    if (!message.ok) {
      call.reject(EngineError.fromPayload(message.error))
      return
    }
    const result = methodSpec(call.method)!.result.safeParse(message.value)
    if (result.success) call.resolve(result.data)
    else call.reject(invalidPayloadError(call.method, 'result', result.error.issues))
  })

  transport.onClose(() => {
    closed = true
    for (const call of pending.values()) {
      call.reject(new EngineError(boundaryErrorCodes.DISCONNECTED, `Connection to the engine closed before ${call.method} answered`, { method: call.method }))
    }
    pending.clear()
  })

  const call = (method: MethodPath, arg: unknown): Promise<unknown> => {
    const checked = methodSpec(method)!.arg.safeParse(arg)
    if (!checked.success) return Promise.reject(invalidPayloadError(method, 'argument', checked.error.issues))
    if (closed) return Promise.reject(new EngineError(boundaryErrorCodes.DISCONNECTED, `Cannot call ${method}: the connection to the engine is closed`, { method }))
    return new Promise((resolve, reject) => {
      const id = nextId++
      pending.set(id, { method, resolve, reject })
      transport.send(checked.data === undefined ? { kind: 'request', id, method } : { kind: 'request', id, method, arg: checked.data })
    })
  }

  const domains: Record<string, Record<string, (arg?: unknown) => Promise<unknown>>> = {}
  for (const path of methodPaths) {
    const [domain, name] = path.split('.') as [string, string]
    ;(domains[domain] ??= {})[name] = (arg?: unknown) => call(path, arg)
  }

  return {
    ...(domains as unknown as Omit<EngineApi, 'onEvent'>),
    onEvent(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    close() {
      transport.close()
    }
  }
}
