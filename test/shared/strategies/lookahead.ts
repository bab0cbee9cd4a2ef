// Shared test helpers for strategies: a seeded random-walk candle generator (with price ties and
// time gaps, so equal-price and day-boundary branches get exercised), random valid params from a
// schema, and the look-ahead check (design §6 "bias"; shared/strategies/audit): the signals of the
// series cut after bar t must equal the full run's signals[0..t].
import { allocSeries, type CandleSeries } from '../../../shared/candles/types.ts'
import { checkLookahead } from '../../../shared/strategies/audit/index.ts'
import { createRng } from '../../../shared/random.ts'
import type { Rng } from '../../../shared/random.ts'
import type { Params, StrategyDef } from '../../../shared/strategies/types.ts'

export interface WalkOptions {
  readonly startPrice?: number
  /** Prices are rounded to this grid (coarse grids make ties frequent). */
  readonly tick?: number
  /** Per-bar log-return standard deviation. */
  readonly sigma?: number
  readonly startMs?: number
  readonly barMs?: number
  /** Probability that a bar is followed by a gap of 1..30 missing bars. */
  readonly gapRate?: number
}

/** Seeded random-walk OHLCV series of n bars (1m bars from 2024-01-01 UTC by default). */
export function randomWalkSeries(seed: number, n: number, opts: WalkOptions = {}): CandleSeries {
  const rng = createRng(seed)
  const tick = opts.tick ?? 1
  const sigma = opts.sigma ?? 0.002
  const barMs = opts.barMs ?? 60_000
  const gapRate = opts.gapRate ?? 0.01
  const round = (x: number): number => Math.max(tick, Math.round(x / tick) * tick)
  const s = allocSeries(n)
  let price = opts.startPrice ?? 10_000
  let timeMs = opts.startMs ?? Date.UTC(2024, 0, 1)
  for (let i = 0; i < n; i++) {
    const open = round(price)
    price = price * Math.exp(sigma * rng.normal())
    const close = round(price)
    const hi = round(Math.max(open, close) * (1 + Math.abs(sigma * rng.normal())))
    const lo = round(Math.min(open, close) * (1 - Math.abs(sigma * rng.normal())))
    s.time[i] = timeMs
    s.open[i] = open
    s.close[i] = close
    s.high[i] = Math.max(hi, open, close)
    s.low[i] = Math.min(lo, open, close)
    s.volume[i] = 1 + rng.next() * 10
    timeMs += barMs * (rng.next() < gapRate ? 2 + rng.int(30) : 1)
  }
  return s
}

/** A random valid param set: each value on its schema grid min + k·step, within [min, max]. */
export function randomParams(def: StrategyDef, rng: Rng): Params {
  const out: Record<string, number> = {}
  for (const p of def.params) {
    const steps = Math.floor((p.max - p.min) / p.step + 1e-9)
    const k = rng.int(steps + 1)
    let v = p.min + k * p.step
    if (!p.integer) v = Number(v.toPrecision(12))
    out[p.name] = Math.min(p.max, Math.max(p.min, v))
  }
  return out
}

export interface LookaheadMismatch {
  readonly t: number
  readonly full: number
  readonly cut: number
}

/**
 * For each t in `cuts`, runs the strategy on bars [0, t] only and compares every signal with the
 * full run's; returns the first mismatch found (null when none). The check itself is
 * shared/strategies/audit (the lab runs it too); this is its test-suite form, without a work limit.
 */
export function findLookahead(def: StrategyDef, series: CandleSeries, params: Params, cuts: readonly number[]): LookaheadMismatch | null {
  const r = checkLookahead((s) => def.signals(s, params), series, { cuts, maxWorkFactor: Infinity })
  return r.ok ? null : { t: r.error.bar, full: r.error.fullValue, cut: r.error.cutValue }
}

/** `count` distinct random cut points in [0, n), always including the first and last bars. */
export function randomCuts(rng: Rng, n: number, count: number): number[] {
  const set = new Set<number>([0, 1, 2, n - 1])
  while (set.size < Math.min(n, count)) set.add(rng.int(n))
  return [...set].filter((t) => t >= 0 && t < n).sort((a, b) => a - b)
}
