// The edge app: health route, DNS-rebinding guard, isolation and framing headers.
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createApp } from '../../edge/app.ts'

const root = mkdtempSync(join(tmpdir(), 'edge-static-'))
writeFileSync(join(root, 'index.html'), '<!doctype html><title>lab</title>')
const app = createApp({ staticRoot: root, isAllowedHost: (h) => h === '127.0.0.1:8787' })
const req = (path: string, host = '127.0.0.1:8787') => app.request(path, { headers: { host } })

describe('edge app', () => {
  it('answers health with its version', async () => {
    const res = await req('/api/health')
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ ok: true })
  })

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    const res = await req('/api/health', 'evil.example:8787')
    expect(res.status).toBe(403)
    expect(await res.json()).toMatchObject({ error: { name: 'bad_host' } })
  })

  it('serves the lab cross-origin isolated and not frameable, without CORS headers', async () => {
    const res = await req('/')
    expect(res.status).toBe(200)
    expect(await res.text()).toContain('<title>lab</title>')
    expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin')
    expect(res.headers.get('cross-origin-embedder-policy')).toBe('require-corp')
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'")
    expect(res.headers.get('access-control-allow-origin')).toBeNull()
  })
})
