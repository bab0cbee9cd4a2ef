// The canonical JSON of a config and its content hash. Keys are sorted at every depth, so two
// configs that are equal as values give the same text and the same SHA-256, whatever order a
// client wrote its fields in. Only JSON values are allowed: a non-finite number or an undefined
// field is a bug upstream (the schemas refuse them), so it throws instead of being coerced.
import { createHash } from 'node:crypto'

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value)
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`canonical JSON has no ${value}`)
    return JSON.stringify(value)
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (typeof value === 'object') {
    const obj = value as Record<string, unknown>
    const keys = Object.keys(obj).sort()
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`
  }
  throw new TypeError(`canonical JSON has no ${typeof value}`)
}

/** SHA-256 of the canonical JSON (UTF-8), lower-case hex. */
export const contentHash = (canonical: string): string => createHash('sha256').update(canonical, 'utf8').digest('hex')
