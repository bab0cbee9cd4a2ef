// Bearer-token check for /api (reliability SEC-4). The token travels only in the Authorization
// header: never read from a query string (URLs end up in logs and history). Compared in constant
// time over SHA-256 digests, so neither content nor length leaks through timing.
import { createHash, timingSafeEqual } from 'node:crypto'

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest()

export function createTokenCheck(token: string): (authorization: string | undefined) => boolean {
  const expected = digest(token)
  return (authorization) => {
    if (authorization === undefined) return false
    const m = /^Bearer ([^\s]+)$/.exec(authorization)
    return m !== null && timingSafeEqual(digest(m[1]!), expected)
  }
}
