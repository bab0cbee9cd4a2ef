// Content hashes of strategy sources: SHA-256 of the UTF-8 text, in hex, the same as edge's
// (edge/promotions/user-strategy.ts sourceHash), so the lab and edge name a source alike.

export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('')
}

/** The first 8 hex digits, as shown beside a strategy's id and version. */
export const shortHash = (hash: string): string => hash.slice(0, 8)

export const HASH_RE = /^[0-9a-f]{64}$/
