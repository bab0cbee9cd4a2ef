// Upbit KRW-market price units (the table in force since 2025-07-31, upbit-api.md §6.1) and exact
// tick rounding. Rounding works on integer tick counts, so a price already on a tick stays on it
// (3.00 × 1.01 = 3.0300000000000002 rounds up to 3.03, not 3.031) and results print as the
// decimal the exchange expects.
import type { TickRounding } from '../engine/types.ts'

// Bands from the top down: lower bound, tick, and the tick's decimals (0 for ticks ≥ 1).
// Parallel typed arrays keep the lookup allocation-free: the kernel rounds a price per order.
const BAND_LOWER = new Float64Array([1_000_000, 500_000, 100_000, 50_000, 10_000, 5_000, 100, 10, 1, 0.1, 0.01, 0.001, 0.0001, 0.00001, 0])
const BAND_TICK = new Float64Array([1000, 500, 100, 50, 10, 5, 1, 0.1, 0.01, 0.001, 0.0001, 0.00001, 0.000001, 0.0000001, 0.00000001])
const BAND_DECIMALS = new Int32Array([0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8])
/** 1 / tick for ticks ≥ 1 (multiplying is several times cheaper than dividing; the on-tick
 *  test below has far more slack than the one-ulp difference). */
const BAND_INV_TICK = BAND_TICK.map((t) => 1 / t)
const POW10 = new Float64Array([1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8])

function bandIndex(price: number): number {
  const last = BAND_LOWER.length - 1
  for (let i = 0; i < last; i++) if (price >= BAND_LOWER[i]!) return i
  return last
}

/** The KRW price unit for a price in its band (price ≥ 1,000,000 → 1,000, …, < 0.00001 → 1e-8). */
export function krwTickSize(price: number): number {
  return BAND_TICK[bandIndex(price)]!
}

/**
 * A price is on a tick when it is within this many ticks of it (design §7.3): binary noise of a
 * product like 3.00 × 1.01 is ~1e-16 of the price, far below 1e-9 of a tick for any KRW price up
 * to 1e12, while a real offset such as 150,016,000.1 (0.0001 of a 1,000 tick) is far above it.
 */
const ON_TICK_EPS = 1e-9

/**
 * Rounds a positive price to the KRW tick of its band. `up`/`down` move to the next tick only when
 * the price is really between ticks (more than 1e-9 of a tick away from one), so exact decimals
 * never shift.
 */
export function roundKrwPrice(price: number, mode: TickRounding): number {
  if (!(price > 0) || price === Infinity) throw new RangeError(`price must be a positive finite number, got ${price}`)
  const b = bandIndex(price)
  const decimals = BAND_DECIMALS[b]!
  const tick = BAND_TICK[b]!
  const scale = POW10[decimals]!
  // Work in integer tick counts; sub-unit ticks scale by 10^decimals so the result n / 10^d is
  // the correctly rounded double of the decimal.
  const q = decimals > 0 ? price * scale : price * BAND_INV_TICK[b]!
  const nearest = Math.round(q)
  let n: number
  if (Math.abs(q - nearest) <= ON_TICK_EPS) n = nearest
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
