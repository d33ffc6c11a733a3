// Tests for static file resolution and that the web host's CSP header is the policy of renderer/index.html.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { contentSecurityPolicy, resolveStaticPath } from './staticFiles'

describe('staticFiles', () => {
  it('sends the same policy as the renderer page declares, without eval or inline script', () => {
    const html = readFileSync(new URL('../../renderer/index.html', import.meta.url), 'utf8')
    expect(html.match(/http-equiv="Content-Security-Policy"\s+content="([^"]+)"/)?.[1]).toBe(contentSecurityPolicy)
    expect(contentSecurityPolicy).not.toMatch(/unsafe-eval/)
  })

  it('resolves paths inside the root only', () => {
    const root = '/srv/renderer'
    expect(resolveStaticPath(root, '/')).toBe(join(root, 'index.html'))
    expect(resolveStaticPath(root, '/assets/a.js')).toBe(join(root, 'assets/a.js'))
    for (const escape of ['/../etc/passwd', '/assets/../../x', '/%2e%2e/x', '/a%5c..%5c..%5cx', '/a%00b', '/%E0%A4%A']) {
      expect(resolveStaticPath(root, escape), escape).toBeUndefined()
    }
  })
})
