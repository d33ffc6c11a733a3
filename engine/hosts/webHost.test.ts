// Tests for the web host's guards (Host, Origin, token, paths) and the RPC over its WebSocket, using the fake engine.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { connectRpc } from '../rpc/connectRpc'
import { createFakeEngine } from '../testing/fakeEngine'
import { contentSecurityPolicy } from './staticFiles'
import { type WebHost, serveEngineOnWeb } from './webHost'
import { webSocketTransport } from './webSocketTransport'

let dir: string
let host: WebHost
const engine = createFakeEngine()

beforeAll(async () => {
  // The renderer folder sits inside `dir`, next to a file the host must never serve.
  dir = await mkdtemp(join(tmpdir(), 'lakebench-webhost-'))
  const rendererDir = join(dir, 'renderer')
  await mkdir(join(rendererDir, 'assets'), { recursive: true })
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>Lakebench</title>')
  await writeFile(join(rendererDir, 'assets', 'app.js'), 'console.log(1)')
  await writeFile(join(dir, 'lakebench-secret.txt'), 'secret')
  host = await serveEngineOnWeb(engine, { rendererDir })
})
afterAll(async () => {
  await host.close()
  await rm(dir, { recursive: true, force: true })
})

function get(path: string, headers: Record<string, string>, method = 'GET'): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: host.port, path, method, headers, setHost: false }, (res) => {
      let body = ''
      res.on('data', (chunk: Buffer) => (body += chunk.toString()))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

/** Attempts a WebSocket handshake; resolves with the open socket or the HTTP status it was refused with. */
function openSocket(path: string, headers: Record<string, string>): Promise<{ socket?: WebSocket; status?: number }> {
  return new Promise((resolve) => {
    const socket = new WebSocket(`ws://127.0.0.1:${host.port}${path}`, { headers, setHost: false } as never)
    socket.once('open', () => resolve({ socket }))
    socket.once('unexpected-response', (_req, res) => resolve({ status: res.statusCode }))
    socket.once('error', () => resolve({ status: -1 }))
  })
}

const self = () => ({ host: `127.0.0.1:${host.port}`, origin: `http://127.0.0.1:${host.port}` })

describe('web host HTTP', () => {
  it('listens on 127.0.0.1 and puts the token in the URL', () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/?token=${host.token}`)
    expect(host.token.length).toBeGreaterThanOrEqual(32)
  })

  it('serves the renderer to its own Host names, with the CSP on HTML', async () => {
    const page = await get('/?token=x', { host: `127.0.0.1:${host.port}` })
    expect(page.status).toBe(200)
    expect(page.body).toContain('<title>Lakebench</title>')
    expect(page.headers['content-security-policy']).toContain(contentSecurityPolicy)
    expect((await get('/', { host: `localhost:${host.port}` })).status).toBe(200)
    const asset = await get('/assets/app.js', { host: `localhost:${host.port}` })
    expect(asset.status).toBe(200)
    expect(asset.headers['content-type']).toContain('text/javascript')
  })

  it.each([['evil.example'], ['evil.example:PORT'], ['127.0.0.1'], ['127.0.0.1:1'], ['[::1]:PORT'], ['0.0.0.0:PORT']])(
    'refuses Host %s (DNS rebinding)',
    async (hostHeader) => {
      const response = await get('/', { host: hostHeader.replace('PORT', String(host.port)) })
      expect(response.status).toBe(403)
      expect(response.body).toContain('is not this server')
    }
  )

  it('refuses a cross-origin request and anything but GET/HEAD', async () => {
    expect((await get('/', { host: `127.0.0.1:${host.port}`, origin: 'http://evil.example' })).status).toBe(403)
    expect((await get('/', { host: `127.0.0.1:${host.port}` }, 'POST')).status).toBe(405)
  })

  it('never serves files outside the renderer folder', async () => {
    for (const path of ['/../lakebench-secret.txt', '/%2e%2e/lakebench-secret.txt', '/assets/..%2f..%2flakebench-secret.txt', '/%00', '/nope.js']) {
      const response = await get(path, { host: `127.0.0.1:${host.port}` })
      expect(response.status, path).toBe(404)
      expect(response.body).not.toContain('secret')
    }
  })
})

describe('web host WebSocket', () => {
  it('serves the Engine API to a client with the token and a matching Origin', async () => {
    const { socket } = await openSocket(`/rpc?token=${host.token}`, self())
    expect(socket).toBeDefined()
    const client = connectRpc(webSocketTransport(socket!))
    expect(await client.tables.listSchemas()).toEqual(['bronze', 'silver'])
    const [result] = await client.sql.execute({ sql: 'SELECT * FROM silver.workouts VERSION AS OF 0' })
    expect(result!.rowCount).toBe(3)
    expect(result!.arrow).toBeInstanceOf(Uint8Array)
    client.close()
  })

  it.each([
    ['no token', '/rpc', () => self(), 401],
    ['a wrong token', '/rpc?token=wrong', () => self(), 401],
    ['a token of the right length but wrong', '/rpc?token=TOKEN_FLIPPED', () => self(), 401],
    ['no Origin', '/rpc?token=TOKEN', () => ({ host: self().host }), 403],
    ['a foreign Origin', '/rpc?token=TOKEN', () => ({ ...self(), origin: 'http://evil.example' }), 403],
    ['an Origin for another port', '/rpc?token=TOKEN', () => ({ ...self(), origin: 'http://127.0.0.1:1' }), 403],
    ['a foreign Host', '/rpc?token=TOKEN', () => ({ host: 'evil.example', origin: 'http://evil.example' }), 403],
    ['another path', '/other?token=TOKEN', () => self(), 404]
  ] as const)('refuses a handshake with %s', async (_name, path, headers, status) => {
    const flipped = host.token.slice(0, -1) + (host.token.endsWith('A') ? 'B' : 'A')
    const { socket, status: refused } = await openSocket(path.replace('TOKEN_FLIPPED', flipped).replace('TOKEN', host.token), headers())
    socket?.close()
    expect(refused).toBe(status)
  })

  it('closes a connection that sends text frames', async () => {
    const { socket } = await openSocket(`/rpc?token=${host.token}`, self())
    const code = await new Promise<number>((resolve) => {
      socket!.once('close', (c) => resolve(c))
      socket!.send('{"kind":"request","id":1,"method":"sql.execute","arg":{"sql":"SELECT 1"}}')
    })
    expect(code).toBe(1003)
  })
})
