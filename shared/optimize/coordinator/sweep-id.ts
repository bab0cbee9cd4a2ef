// Stable identity of a sweep: a hash of the spec, the chunking and the candle data's content.
// Checkpoints are keyed by it, so a reload that rebuilds the same spec on the same
// data finds its finished chunks, and any change (a param, a bar, the chunk size) starts afresh.
import type { CandleSeries } from '../../candles/types.ts'
import { METRIC_NAMES } from '../../metrics/types.ts'

/** JSON with object keys sorted at every depth, so equal values give equal text. */
export function stableStringify(value: unknown): string {
  if (value === undefined) return 'null'
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) return JSON.stringify(String(value))
    return JSON.stringify(value)
  }
  if (ArrayBuffer.isView(value)) return stableStringify(Array.from(value as unknown as ArrayLike<number>))
  if (Array.isArray(value)) return `[${value.map((v) => stableStringify(v)).join(',')}]`
  const obj = value as Record<string, unknown>
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort()
  return `{${keys.map((k) => `${JSON.stringify(k)}:${stableStringify(obj[k])}`).join(',')}}`
}

/** Two independent 32-bit FNV-1a-style lanes over 32-bit words: 64 bits, fast, not cryptographic. */
function hashWords(words: Uint32Array, h: [number, number]): void {
  let a = h[0]
  let b = h[1]
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!
    a = Math.imul(a ^ w, 0x01000193) >>> 0
    b = Math.imul(b ^ w ^ (i & 0xffff), 0x5bd1e995) >>> 0
    b = (b ^ (b >>> 15)) >>> 0
  }
  h[0] = a
  h[1] = b
}

function hex(h: [number, number]): string {
  return h[0].toString(16).padStart(8, '0') + h[1].toString(16).padStart(8, '0')
}

const SEED: [number, number] = [0x811c9dc5, 0x9747b28c]

export function hashString(text: string): string {
  const h: [number, number] = [SEED[0], SEED[1]]
  const words = new Uint32Array(text.length + 1)
  for (let i = 0; i < text.length; i++) words[i] = text.charCodeAt(i)
  words[text.length] = text.length
  hashWords(words, h)
  return hex(h)
}

/** Content hash of all six columns (bit patterns, so -0/NaN payloads count too). */
export function hashSeries(series: CandleSeries): string {
  const h: [number, number] = [SEED[0], SEED[1]]
  for (const col of [series.time, series.open, series.high, series.low, series.close, series.volume]) {
    // A copy keeps this safe for SharedArrayBuffer-backed and offset views alike.
    hashWords(new Uint32Array(Float64Array.from(col).buffer), h)
  }
  hashWords(Uint32Array.of(series.time.length), h)
  return hex(h)
}

export interface SweepIdInput {
  readonly spec: unknown
  readonly chunkSize: number
  /** hashSeries() of the candles the sweep runs on. */
  readonly dataHash: string
}

/** The metric order is part of the key: stored rows are meaningless under another order. */
export function sweepIdOf(input: SweepIdInput): string {
  const key = { spec: input.spec, chunkSize: input.chunkSize, data: input.dataHash, metrics: METRIC_NAMES }
  return `sw1-${hashString(stableStringify(key))}`
}
