// Test helpers: small hand-written candle series and a seeded random walk on the KRW tick ladder.
import { allocSeries, MINUTE_MS, type CandleSeries } from '../../shared/candles/types.ts'
import { createRng } from '../../shared/random.ts'
import { roundKrwPrice } from '../../shared/upbit/ticks.ts'

export const T0 = Date.UTC(2025, 0, 1)

/** Rows are [open, high, low, close] (volume 1), one per minute from T0 (or stepMs apart). */
export function seriesOf(rows: ReadonlyArray<readonly [number, number, number, number]>, stepMs = MINUTE_MS, t0 = T0): CandleSeries {
  const s = allocSeries(rows.length)
  rows.forEach(([o, h, l, c], i) => {
    s.time[i] = t0 + i * stepMs
    s.open[i] = o
    s.high[i] = h
    s.low[i] = l
    s.close[i] = c
    s.volume[i] = 1
  })
  return s
}

/** Signals from a compact string: '+' = 1, '-' = -1, '.' = 0. */
export function sig(pattern: string): Int8Array {
  return Int8Array.from([...pattern], (ch) => (ch === '+' ? 1 : ch === '-' ? -1 : 0))
}

/** Seeded random walk with volatility bursts, valid OHLC on the KRW tick ladder. */
export function randomWalk(seed: number, n: number, startPrice = 50_000, stepMs = MINUTE_MS): CandleSeries {
  const rng = createRng(seed)
  const s = allocSeries(n)
  let price = startPrice
  let vol = 0.002
  for (let i = 0; i < n; i++) {
    if (rng.next() < 0.01) vol = 0.0005 + rng.next() * 0.01
    const o = roundKrwPrice(price * (1 + rng.normal() * vol * 0.2), 'nearest')
    const c = roundKrwPrice(o * (1 + rng.normal() * vol), 'nearest')
    const h = roundKrwPrice(Math.max(o, c) * (1 + Math.abs(rng.normal()) * vol * 0.5), 'up')
    const l = roundKrwPrice(Math.min(o, c) * (1 - Math.abs(rng.normal()) * vol * 0.5), 'down')
    s.time[i] = T0 + i * stepMs
    s.open[i] = o
    s.high[i] = h
    s.low[i] = l
    s.close[i] = c
    s.volume[i] = 1 + rng.next()
    price = c
  }
  return s
}

/** Random signals: mostly 0 with occasional +1 / -1. */
export function randomSignals(seed: number, n: number, density = 0.05): Int8Array {
  const rng = createRng(seed)
  const out = new Int8Array(n)
  for (let i = 0; i < n; i++) {
    const u = rng.next()
    out[i] = u < density ? 1 : u < 2 * density ? -1 : 0
  }
  return out
}
