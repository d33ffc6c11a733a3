// staticFiles: serves the built renderer (out/renderer) read-only, with the workbench's Content-Security-Policy.
import { readFile, stat } from 'node:fs/promises'
import type { ServerResponse } from 'node:http'
import { extname, join, relative, resolve, sep } from 'node:path'

/**
 * The page's policy: everything from this origin only, no eval, no inline script. `connect-src 'self'` covers the
 * same-origin WebSocket; `blob:` workers are Monaco's. Kept identical to the <meta> in renderer/index.html (tested).
 */
export const contentSecurityPolicy =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; worker-src 'self' blob:; font-src 'self' data:; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'"

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ttf': 'font/ttf',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm'
}

/**
 * Resolves a request path to a file under `root`, or undefined when it would escape `root` (`..`, encoded
 * separators, NUL) or is malformed. `/` means index.html.
 */
export function resolveStaticPath(root: string, pathname: string): string | undefined {
  let decoded: string
  try {
    decoded = decodeURIComponent(pathname)
  } catch {
    return undefined
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined
  const file = resolve(root, '.' + (decoded === '/' ? '/index.html' : decoded))
  const rel = relative(root, file)
  if (rel === '' || rel.startsWith('..') || rel.startsWith(sep)) return undefined
  return file
}

/** Writes the file for `pathname` (200), or 404. index.html is never cached; hashed assets are immutable. */
export async function serveStatic(root: string, pathname: string, response: ServerResponse, headOnly: boolean): Promise<void> {
  const file = resolveStaticPath(root, pathname)
  const info = file ? await stat(file).catch(() => undefined) : undefined
  if (!file || !info?.isFile()) {
    response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found')
    return
  }
  const body = await readFile(file)
  const isHtml = extname(file) === '.html'
  response.writeHead(200, {
    'content-type': contentTypes[extname(file)] ?? 'application/octet-stream',
    'content-length': body.byteLength,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': file.includes(`${sep}assets${sep}`) ? 'public, max-age=31536000, immutable' : 'no-store',
    ...(isHtml ? { 'content-security-policy': `${contentSecurityPolicy}; frame-ancestors 'none'`, 'x-frame-options': 'DENY' } : {})
  })
  response.end(headOnly ? undefined : body)
}

/** Path of the renderer's entry page under `root`. */
export function indexHtmlPath(root: string): string {
  return join(root, 'index.html')
}
