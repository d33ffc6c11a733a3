// requestGuard: the web host's checks on who may talk to it (Host, Origin, token), kept pure so they can be tested alone.
import { timingSafeEqual } from 'node:crypto'

/**
 * True when the Host header names this server by loopback address: exactly `127.0.0.1:PORT` or `localhost:PORT`.
 * Anything else (another name, another port, a missing header) may be a DNS-rebinding page reaching us through a
 * hostname that resolves to 127.0.0.1, so it is refused.
 */
export function isAllowedHost(host: string | undefined, port: number): boolean {
  return host === `127.0.0.1:${port}` || host === `localhost:${port}`
}

/**
 * True when Origin is this server's own origin as the page sees it: `http://` + the (already allowed) Host header.
 * Browsers always send Origin on WebSocket handshakes, so a missing Origin is refused too: only a non-browser client
 * would omit it, and such a client can send any header anyway; the token is what guards against it.
 */
export function isAllowedOrigin(origin: string | undefined, host: string | undefined, port: number): boolean {
  return origin !== undefined && isAllowedHost(host, port) && origin === `http://${host}`
}

/** Constant-time token comparison (a timing difference would otherwise leak the token a byte at a time). */
export function tokenMatches(given: string | null | undefined, expected: string): boolean {
  if (typeof given !== 'string') return false
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

export type UpgradeVerdict = { ok: true } | { ok: false; status: 400 | 401 | 403 | 404; reason: string }

/** Decides a WebSocket upgrade: path `/rpc`, allowed Host, matching Origin and the right `token` query parameter. */
export function checkUpgrade(request: { url?: string; headers: { host?: string; origin?: string } }, port: number, token: string): UpgradeVerdict {
  const url = new URL(request.url ?? '/', 'http://placeholder')
  if (url.pathname !== '/rpc') return { ok: false, status: 404, reason: `no WebSocket endpoint at ${url.pathname}` }
  if (!isAllowedHost(request.headers.host, port)) return { ok: false, status: 403, reason: `Host ${String(request.headers.host)} is not this server` }
  if (!isAllowedOrigin(request.headers.origin, request.headers.host, port)) {
    return { ok: false, status: 403, reason: `Origin ${String(request.headers.origin)} is not this server's origin` }
  }
  if (!tokenMatches(url.searchParams.get('token'), token)) return { ok: false, status: 401, reason: 'missing or wrong token' }
  return { ok: true }
}
