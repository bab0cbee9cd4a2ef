// Request helpers shared by the sim's routes: the raw query string exactly as sent, its decoded
// pairs, and the caller's IP. Values decode like a servlet container's (Upbit's): '+' is a space
// (Python requests/pyupbit send `to=2025-07-01+12%3A03%3A00`), which is why Upbit tells clients
// to send a literal plus as %2B. The JWT canonical string is built separately (auth.ts).
import type { Context } from 'hono'
import type { HttpBindings } from '@hono/node-server'

export function rawQuery(url: string): string {
  const q = url.indexOf('?')
  if (q < 0) return ''
  const h = url.indexOf('#', q)
  return url.slice(q + 1, h < 0 ? undefined : h)
}

export type Pairs = Array<[string, string]>

export function decodePairs(raw: string): Pairs {
  if (raw === '') return []
  const dec = (s: string): string => {
    const spaced = s.replaceAll('+', ' ')
    try {
      return decodeURIComponent(spaced)
    } catch {
      return spaced
    }
  }
  return raw
    .split('&')
    .filter((p) => p !== '')
    .map((p) => {
      const eq = p.indexOf('=')
      return eq < 0 ? [dec(p), ''] : [dec(p.slice(0, eq)), dec(p.slice(eq + 1))]
    })
}

export function first(pairs: Pairs, ...keys: string[]): string | undefined {
  for (const [k, v] of pairs) if (keys.includes(k)) return v
  return undefined
}

export function all(pairs: Pairs, key: string): string[] {
  return pairs.filter(([k]) => k === key).map(([, v]) => v)
}

export function clientIp(c: Context): string {
  const env = c.env as Partial<HttpBindings> | undefined
  return env?.incoming?.socket?.remoteAddress ?? '127.0.0.1'
}
