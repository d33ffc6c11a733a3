// serveRpc: answers requests arriving on a transport by calling an EngineApi, with the allow-list and schemas enforced.
import type { EngineApi } from '../api/engineApi'
import { EngineError, boundaryErrorCodes, invalidPayloadError, toEngineError } from '../api/errors'
import { methodSpec } from '../api/methods'
import { type RpcRequest, type RpcResponse, type RpcTransport, rpcRequestSchema } from './protocol'

export interface RpcServer {
  /** Stops answering and forwarding events (does not close the transport or the engine). */
  stop(): void
}

/**
 * Serves `api` on `transport` until the transport closes or stop() is called. Every request is checked before
 * the engine sees it: the envelope must be well-formed, the method must be on the allow-list (methods.ts), and the
 * argument must match the method's schema (unknown keys are rejected). Results are checked against the result schema
 * too, so a contract break surfaces as INVALID_PAYLOAD here instead of as a confusing failure in the UI.
 * Engine events are forwarded to the transport as event messages.
 */
export function serveRpc(api: EngineApi, transport: RpcTransport): RpcServer {
  let stopped = false
  const unsubscribeEvents = api.onEvent((event) => {
    if (!stopped) transport.send({ kind: 'event', event })
  })
  const removeHandler = transport.onMessage((message) => {
    void handleMessage(api, message).then((response) => {
      if (response && !stopped) transport.send(response)
    })
  })
  const stop = () => {
    if (stopped) return
    stopped = true
    unsubscribeEvents()
    removeHandler()
    removeCloseHandler()
  }
  const removeCloseHandler = transport.onClose(stop)
  return { stop }
}

/**
 * Turns one incoming message into its response. Never throws: every failure becomes an error response.
 * Returns undefined only for a message without a usable id, since there is nobody to answer.
 */
export async function handleMessage(api: EngineApi, message: unknown): Promise<RpcResponse | undefined> {
  const parsed = rpcRequestSchema.safeParse(message)
  if (!parsed.success) {
    const id = (message as { id?: unknown } | null)?.id
    if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 0) return undefined
    return failure(id, new EngineError(boundaryErrorCodes.INVALID_MESSAGE, 'Malformed RPC request', { issues: parsed.error.issues.map((i) => i.message) }))
  }
  return dispatchRequest(api, parsed.data)
}

/** Runs one well-formed request against `api`. Never throws. */
export async function dispatchRequest(api: EngineApi, request: RpcRequest): Promise<RpcResponse> {
  const spec = methodSpec(request.method)
  if (!spec) {
    return failure(request.id, new EngineError(boundaryErrorCodes.METHOD_NOT_ALLOWED, `Method ${JSON.stringify(request.method)} is not part of the Engine API`, { method: request.method }))
  }
  const arg = spec.arg.safeParse(request.arg)
  if (!arg.success) return failure(request.id, invalidPayloadError(request.method, 'argument', arg.error.issues))
  try {
    const [domain, name] = request.method.split('.') as [keyof EngineApi, string]
    const target = api[domain] as unknown as Record<string, (arg: unknown) => Promise<unknown>>
    const value = await target[name]!.call(target, arg.data)
    const result = spec.result.safeParse(value)
    if (!result.success) return failure(request.id, invalidPayloadError(request.method, 'result', result.error.issues))
    return { kind: 'response', id: request.id, ok: true, value: result.data }
  } catch (error) {
    return failure(request.id, toEngineError(error))
  }
}

function failure(id: number, error: EngineError): RpcResponse {
  return { kind: 'response', id, ok: false, error: error.toPayload() }
}
