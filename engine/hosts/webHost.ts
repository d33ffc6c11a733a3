// webHost: serves the workbench UI and the Engine API (RPC over WebSocket) to a browser on 127.0.0.1 only.
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import { fileURLToPath } from 'node:url'
import { WebSocketServer } from 'ws'
import type { EngineApi } from '../api/engineApi'
import { createEngine } from '../createEngine'
import { serveRpc } from '../rpc/serveRpc'
import { checkUpgrade, isAllowedHost, isAllowedOrigin } from './requestGuard'
import { openLiveSampleProducer } from './liveProducerFactory'
import { buildSampleLakehouse } from './sampleBuilder'
import { recentsFileIn, userDataDir } from './startChoice'
import { indexHtmlPath, serveStatic } from './staticFiles'
import { webSocketTransport } from './webSocketTransport'

export interface WebHostOptions {
  /** Listening port on 127.0.0.1; 0 (the default) picks a free one. */
  port?: number
  /** Folder of the built renderer; defaults to out/renderer in this checkout. */
  rendererDir?: string
}

export interface WebHost {
  /** Open this in a browser: `http://127.0.0.1:PORT/?token=...`. */
  url: string
  /** The per-start secret the WebSocket requires. */
  token: string
  port: number
  /** Stops listening, drops every connection (and closes the engine when the host created it). */
  close(): Promise<void>
}

/** The renderer build in this checkout (engine/hosts → ../../out/renderer). */
export const defaultRendererDir = fileURLToPath(new URL('../../out/renderer/', import.meta.url))

// Requests are small (a SQL script at most); the cap stops one message from exhausting memory.
const maxRequestBytes = 16 * 1024 * 1024

/**
 * Opens the lakehouse at `lakehouseDir` and serves it: the UI over HTTP and the Engine API over a WebSocket at /rpc.
 * Listens on 127.0.0.1 only. Every request must name the server as 127.0.0.1:PORT or localhost:PORT in Host; the
 * WebSocket also needs a matching Origin and the random token of this start (it is in the returned URL).
 * Lakehouses opened through it are remembered in `recentsFile` (default: recent.json in the user's data folder).
 * @throws Error when the renderer is not built, the port is taken, or the lakehouse cannot be opened (EngineError codes).
 */
export async function startWebHost(opts: { lakehouseDir: string; recentsFile?: string } & WebHostOptions): Promise<WebHost> {
  assertRendererBuilt(opts.rendererDir ?? defaultRendererDir)
  const engine = await createEngine({
    lakehouseDir: opts.lakehouseDir,
    recentsFile: opts.recentsFile ?? recentsFileIn(userDataDir()),
    buildSample: buildSampleLakehouse,
    liveProducer: openLiveSampleProducer
  })
  try {
    const host = await serveEngineOnWeb(engine, opts)
    return {
      ...host,
      async close() {
        await host.close()
        await engine.close()
      }
    }
  } catch (error) {
    await engine.close()
    throw error
  }
}

/**
 * Serves an already-created EngineApi (the real one or a fake) the same way startWebHost does. Closing the host
 * leaves the engine open.
 * @throws Error when the renderer is not built or the port is taken.
 */
export async function serveEngineOnWeb(engine: EngineApi, opts: WebHostOptions = {}): Promise<WebHost> {
  const rendererDir = opts.rendererDir ?? defaultRendererDir
  assertRendererBuilt(rendererDir)
  const token = randomBytes(24).toString('base64url')
  const sockets = new WebSocketServer({ noServer: true, maxPayload: maxRequestBytes })
  const server = createServer((request, response) => {
    void handleHttp(request, response, rendererDir, portOf(server)).catch(() => {
      if (!response.headersSent) response.writeHead(500).end()
      else response.destroy()
    })
  })

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const verdict = checkUpgrade(request, portOf(server), token)
    if (!verdict.ok) {
      socket.end(`HTTP/1.1 ${verdict.status} ${statusText[verdict.status]}\r\nConnection: close\r\nContent-Type: text/plain\r\n\r\n${verdict.reason}\n`)
      return
    }
    sockets.handleUpgrade(request, socket, head, (ws) => {
      serveRpc(engine, webSocketTransport(ws))
    })
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  const port = portOf(server)
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    token,
    port,
    async close() {
      for (const client of sockets.clients) client.terminate()
      sockets.close()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
}

const statusText = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found' } as const

async function handleHttp(request: IncomingMessage, response: ServerResponse, rendererDir: string, port: number): Promise<void> {
  const { host, origin } = request.headers
  if (!isAllowedHost(host, port)) {
    response.writeHead(403, { 'content-type': 'text/plain; charset=utf-8' }).end(`Host ${String(host)} is not this server`)
    return
  }
  // Same-origin GETs usually carry no Origin; one that does must be ours (a cross-site fetch would be refused).
  if (origin !== undefined && !isAllowedOrigin(origin, host, port)) {
    response.writeHead(403, { 'content-type': 'text/plain; charset=utf-8' }).end(`Origin ${origin} is not this server's origin`)
    return
  }
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, { allow: 'GET, HEAD' }).end()
    return
  }
  const pathname = new URL(request.url ?? '/', `http://${host}`).pathname
  await serveStatic(rendererDir, pathname, response, request.method === 'HEAD')
}

function portOf(server: Server): number {
  return (server.address() as AddressInfo).port
}

function assertRendererBuilt(rendererDir: string): void {
  if (!existsSync(indexHtmlPath(rendererDir))) {
    throw new Error(`The workbench UI is not built (missing ${indexHtmlPath(rendererDir)}): run \`npm run build\` first.`)
  }
}
