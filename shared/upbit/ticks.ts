// Upbit KRW-market price units (the table in force since 2025-07-31, upbit-api.md §6.1) and exact
// tick rounding. Rounding works on integer tick counts, so a price already on a tick stays on it
// (3.00 × 1.01 = 3.0300000000000002 rounds up to 3.03, not 3.031) and results print as the
// decimal the exchange expects.
import type { TickRounding } from '../engine/types.ts'

/** [lower bound of the band, tick] from the top band down. */
const KRW_BANDS: ReadonlyArray<readonly [number, number, number]> = [
  // [lower bound, tick, decimals of tick (for ticks < 1) or 0]
  [1_000_000, 1000, 0],
  [500_000, 500, 0],
  [100_000, 100, 0],
  [50_000, 50, 0],
  [10_000, 10, 0],
  [5_000, 5, 0],
  [100, 1, 0],
  [10, 0.1, 1],
  [1, 0.01, 2],
  [0.1, 0.001, 3],
  [0.01, 0.0001, 4],
  [0.001, 0.00001, 5],
  [0.0001, 0.000001, 6],
  [0.00001, 0.0000001, 7],
  [0, 0.00000001, 8],
]

const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8]

function bandOf(price: number): readonly [number, number, number] {
  for (let i = 0; i < KRW_BANDS.length; i++) {
    const band = KRW_BANDS[i]!
    if (price >= band[0]) return band
  }
  return KRW_BANDS[KRW_BANDS.length - 1]!
}

/** The KRW price unit for a price in its band (price ≥ 1,000,000 → 1,000, …, < 0.00001 → 1e-8). */
export function krwTickSize(price: number): number {
  return bandOf(price)[1]
}

/** Relative slack for deciding that a float is "on" a tick despite binary representation noise. */
const ON_TICK_EPS = 1e-9

/**
 * Rounds a positive price to the KRW tick of its band. `up`/`down` move to the next tick only when
 * the price is really between ticks (beyond 1e-9 of a tick), so exact decimals never shift.
 */
export function roundKrwPrice(price: number, mode: TickRounding): number {
  if (!(price > 0) || !Number.isFinite(price)) throw new RangeError(`price must be a positive finite number, got ${price}`)
  const [, tick, decimals] = bandOf(price)
  const scale = decimals > 0 ? POW10[decimals]! : 1
  // Work in tick counts; for sub-unit ticks multiply by 10^decimals (exact scaling intent).
  const q = decimals > 0 ? price * scale : price / tick
  const nearest = Math.round(q)
  let n: number
  if (Math.abs(q - nearest) <= ON_TICK_EPS * Math.max(1, Math.abs(q))) n = nearest
  else if (mode === 'up') n = Math.ceil(q)
  else if (mode === 'down') n = Math.floor(q)
  else n = nearest
  return decimals > 0 ? n / scale : n * tick
}

/** True when the price is exactly a multiple of its band's tick. */
export function isOnKrwTick(price: number): boolean {
  if (!(price > 0) || !Number.isFinite(price)) return false
  return roundKrwPrice(price, 'nearest') === price
}
