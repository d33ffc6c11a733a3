// rendererProtocol: serves the built renderer from app://lakebench/ (a privileged, standard scheme) instead of file://.
import { readFile } from 'node:fs/promises'
import { extname, relative, resolve, sep } from 'node:path'
import { protocol } from 'electron'
import { contentSecurityPolicy } from './contentSecurityPolicy'

export const rendererScheme = 'app'
/** Where the renderer lives; every page URL the app trusts starts with this. */
export const rendererOrigin = `${rendererScheme}://lakebench`

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.ttf': 'font/ttf',
  '.woff2': 'font/woff2'
}

/**
 * Declares the scheme as standard and secure. Must run before app 'ready'. A real origin (rather than file://, whose
 * origin is opaque) lets module scripts and Monaco's workers load, and lets CSP 'self' mean exactly the app.
 */
export function registerRendererScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: rendererScheme, privileges: { standard: true, secure: true, supportFetchAPI: true } }])
}

/** Serves files of `rendererDir` at app://lakebench/..., with the CSP header; anything outside it is a 404. */
export function handleRendererProtocol(rendererDir: string): void {
  protocol.handle(rendererScheme, async (request) => {
    const url = new URL(request.url)
    const file = resolve(rendererDir, '.' + decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname))
    const rel = relative(rendererDir, file)
    if (url.host !== 'lakebench' || rel === '' || rel.startsWith('..') || rel.startsWith(sep)) return new Response('Not found', { status: 404 })
    try {
      const body = await readFile(file)
      return new Response(body, {
        headers: {
          'content-type': contentTypes[extname(file)] ?? 'application/octet-stream',
          'content-security-policy': contentSecurityPolicy,
          'x-content-type-options': 'nosniff'
        }
      })
    } catch {
      return new Response('Not found', { status: 404 })
    }
  })
}
