// The look-ahead check as a module (shared/strategies/audit): it finds rules that peek (at the
// next bar, or only at the last one), reports the first differing bar with both values, passes
// every registered strategy, plans the same cut points for the same seed, keeps to its work
// limit, and stays pure (no clock, no Math.random).
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { CandleSeries } from '../../../../shared/candles/types.ts'
import {
  checkLookahead,
  checkStrategyLookahead,
  cutSeries,
  DEFAULT_CUT_COUNT,
  lookaheadCuts,
  planCuts,
} from '../../../../shared/strategies/audit/index.ts'
import { defineStrategy, strategies, strategyIds } from '../../../../shared/strategies/index.ts'
import { generateMinuteCandles } from '../../../../shared/synthetic/index.ts'
import { randomWalkSeries } from '../lookahead.ts'

const ORIGIN = Date.UTC(2024, 0, 1)
const series = generateMinuteCandles({ seed: 5, startPrice: 90_000_000 }, ORIGIN, ORIGIN + 2 * 86_400_000)
const n = series.time.length

/** +1 when the NEXT close is higher: reads bar t+1. */
const peekNext = (s: CandleSeries): Int8Array => {
  const c = s.close
  const out = new Int8Array(c.length)
  for (let t = 0; t < c.length; t++) out[t] = t + 1 < c.length && c[t + 1]! > c[t]! ? 1 : -1
  return out
}

/** Reads the next bar near the end of the series only: just a cut there gives it away. */
const peekAtEnd = (s: CandleSeries): Int8Array =>
  Int8Array.from(s.close, (x, t) => (t >= n - 3 && t + 1 < s.close.length ? Math.sign(s.close[t + 1]! - x) || 1 : 0))

describe('checkLookahead', () => {
  it('finds a rule that reads the next bar, naming the cut, the first differing bar and both values', () => {
    const r = checkLookahead(peekNext, series)
    expect(r.ok).toBe(false)
    if (r.ok) return
    const f = r.error
    expect(f.kind).toBe('lookahead')
    expect(f.bar).toBeLessThanOrEqual(f.cutAt)
    expect(f.barTimeMs).toBe(series.time[f.bar])
    expect(f.fullValue).not.toBe(f.cutValue)
    expect(f.fullValue).toBe(peekNext(series)[f.bar])
    expect(f.cutValue).toBe(peekNext(cutSeries(series, f.cutAt + 1))[f.bar])
  })

  it('finds a rule that peeks only at the end (the second-to-last bar is always a cut point)', () => {
    const r = checkLookahead(peekAtEnd, series, { count: 3 })
    expect(r.ok).toBe(false)
  })

  it('a cut run of the wrong length is a failure with NaN for the missing values', () => {
    const r = checkLookahead((s) => new Int8Array(s.time.length === n ? n : s.time.length + 1), series)
    expect(r.ok).toBe(false)
    if (!r.ok) expect(Number.isNaN(r.error.cutValue)).toBe(true)
  })

  it('passes every registered strategy with its defaults, at the default number of cut points', () => {
    for (const id of strategyIds) {
      const def = strategies[id]!
      const r = checkStrategyLookahead(def, series, {})
      expect(r, id).toMatchObject({ ok: true })
      if (r.ok) {
        expect(r.value.cuts.length + r.value.skipped, id).toBe(DEFAULT_CUT_COUNT)
        expect(r.value.cuts, id).toContain(def.warmup({}))
      }
    }
  })

  it('passes a rule defined through defineStrategy on a gappy random walk', () => {
    const walk = randomWalkSeries(3, 3000, { gapRate: 0.05 })
    const sma = defineStrategy({
      id: 'test-sma-cross',
      version: 1,
      name: 'test',
      description: 'test only',
      params: [],
      warmup: () => 10,
      compute: (s, _p, out) => {
        let sum = 0
        for (let t = 0; t < s.close.length; t++) {
          sum += s.close[t]! - (t >= 10 ? s.close[t - 10]! : 0)
          out[t] = t < 10 ? 0 : s.close[t]! > sum / 10 ? 1 : -1
        }
      },
    })
    expect(checkStrategyLookahead(sma, walk, {}, { count: 40 }).ok).toBe(true)
  })

  it('keeps to its work limit and says how many cut points it skipped', () => {
    expect(checkLookahead(peekAtEnd, series, { cuts: [10, 20, n - 2] }).ok).toBe(false)
    const r = checkLookahead(peekAtEnd, series, { maxWorkFactor: 1, cuts: [10, 20, n - 2] })
    // 11 + 21 bars fit, the cut at n - 2 does not: it is skipped, so the peek goes unseen.
    expect(r).toEqual({ ok: true, value: { cuts: [10, 20], skipped: 1, barsRead: 11 + 21 } })
  })
})

describe('cut points', () => {
  it('are distinct, ascending, in range, deterministic per seed, and include the fixed points', () => {
    const a = lookaheadCuts(n, 20, 7, 30)
    expect(a).toHaveLength(20)
    expect(new Set(a).size).toBe(20)
    expect([...a].sort((x, y) => x - y)).toEqual(a)
    expect(a[0]).toBe(0)
    for (const t of [1, 2, 29, 30, 31, n - 2]) expect(a).toContain(t)
    expect(Math.max(...a)).toBeLessThan(n)
    expect(lookaheadCuts(n, 20, 7, 30)).toEqual(a)
    expect(lookaheadCuts(n, 20, 8, 30)).not.toEqual(a)
    // One drawn point per stratum: the points spread over the whole series.
    expect(a.filter((t) => t > n / 2).length).toBeGreaterThan(5)
  })

  it('handle tiny series and explicit lists', () => {
    expect(lookaheadCuts(0, 20, 1)).toEqual([])
    expect(lookaheadCuts(3, 20, 1)).toEqual([0, 1, 2])
    expect(planCuts(10, { cuts: [5, 5, -1, 12, 3] })).toEqual([3, 5])
  })
})

describe('purity', () => {
  it('reads no clock and no ambient randomness', () => {
    const src = readFileSync(new URL('../../../../shared/strategies/audit/lookahead.ts', import.meta.url), 'utf8')
    const code = src.replace(/\/\/.*$/gm, '')
    expect(code).not.toMatch(/Math\.random|Date\b|performance\.|console\./)
  })
})
