// Tests that the desktop app's CSP header is the same policy as the <meta> in renderer/index.html.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { contentSecurityPolicy } from './contentSecurityPolicy'

describe('desktop Content-Security-Policy', () => {
  it('matches the renderer page and allows no eval or inline script', () => {
    const html = readFileSync(new URL('../../renderer/index.html', import.meta.url), 'utf8')
    const meta = html.match(/http-equiv="Content-Security-Policy"\s+content="([^"]+)"/)?.[1]
    expect(meta).toBe(contentSecurityPolicy)
    expect(contentSecurityPolicy).not.toMatch(/unsafe-eval/)
    expect(contentSecurityPolicy).toMatch(/script-src 'self';/)
  })
})
