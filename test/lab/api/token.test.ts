// The lab takes the token from the URL fragment, stores it and clears it from the address bar.
import { describe, expect, it } from 'vitest'
import { adoptTokenFromUrl, getToken } from '../../../lab/api/token.ts'

function fakeEnv(hash: string, stored: string | null = null) {
  const store = new Map<string, string>(stored ? [['edge-token', stored]] : [])
  const replaced: string[] = []
  return {
    replaced,
    store,
    env: {
      location: { hash, pathname: '/', search: '?x=1' },
      history: { replaceState: (_d: unknown, _u: string, url: string) => void replaced.push(url) },
      storage: { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v) },
    },
  }
}

const T = 'ab'.repeat(32)

describe('lab token', () => {
  it('moves #token=… into storage and removes it from the address bar, keeping the rest', () => {
    const f = fakeEnv(`#token=${T}&tab=runs`)
    expect(adoptTokenFromUrl(f.env)).toBe(T)
    expect(f.replaced).toEqual(['/?x=1#tab=runs'])
    expect(getToken(f.env.storage)).toBe(T)
  })
  it('keeps the stored token when the URL has none, and does not touch the address bar', () => {
    const f = fakeEnv('', T)
    expect(adoptTokenFromUrl(f.env)).toBe(T)
    expect(f.replaced).toEqual([])
  })
  it('clears a malformed token from the URL without storing it', () => {
    const f = fakeEnv('#token=<script>')
    expect(adoptTokenFromUrl(f.env)).toBeNull()
    expect(f.replaced).toEqual(['/?x=1'])
  })
})
