import { MessageChannel } from 'node:worker_threads'
import { expose, transfer, wrap } from 'comlink'
import type { Endpoint } from 'comlink'
import { describe, expect, it } from 'vitest'
import { METRIC_COUNT } from '../../../../shared/metrics/types.ts'
import { createSweepWorker, packCandles, unpackCandles } from '../../../../shared/optimize/coordinator/index.ts'
import type { SweepWorkerApi } from '../../../../shared/optimize/coordinator/index.ts'
import { runPlannedSweep, runSweep } from '../../../../shared/optimize/index.ts'
import {
  checkPboShape,
  columnStatsInto,
  CscvMatrix,
  cscvPbo,
  PBO_STATS,
  pboFromWorse,
  splitPairs,
} from '../../../../shared/optimize/robust/pbo.ts'
import { createRng } from '../../../../shared/random.ts'
import { minuteSeries } from '../helpers.ts'
import { sameRows, smallSeries, smallSpec } from './fixtures.ts'

describe('candle payload', () => {
  it('packs the six columns into one buffer (shared or not) and unpacks equal views', () => {
    const s = smallSeries()
    for (const shared of [true, false]) {
      const p = packCandles(s, shared)
      expect(p.kind).toBe(shared ? 'shared' : 'copied')
      expect(p.buffer instanceof SharedArrayBuffer).toBe(shared)
      const u = unpackCandles(p)
      for (const k of ['time', 'open', 'high', 'low', 'close', 'volume'] as const) expect(u[k]).toEqual(s[k])
    }
  })
})

describe('the sweep worker (one implementation for the lab and Node)', () => {
  it('loads a series once, prepares sweeps on it and runs simulations equal to the single-thread sweep', () => {
    const api = createSweepWorker()
    expect(api.loadSeries(1, packCandles(smallSeries(), true))).toEqual({ bars: smallSeries().time.length, sharing: 'shared' })
    expect(api.prepare(1, smallSpec)).toEqual({ comboCount: 18, pointCount: 18, plansClasses: true, dayCount: 3 })
    const whole = runSweep(smallSeries(), smallSpec).rows
    const r = api.runSims(Int32Array.of(11, 5))
    expect(r.rows.slice(0, METRIC_COUNT)).toEqual(whole.slice(11 * METRIC_COUNT, 12 * METRIC_COUNT))
    expect(r.rows.slice(METRIC_COUNT)).toEqual(whole.slice(5 * METRIC_COUNT, 6 * METRIC_COUNT))
    // Class keys of two halves, merged, give the single-thread classes.
    const a = api.classKeys(0, 9)
    const b = api.classKeys(9, 18)
    expect(a.classOf.length + b.classOf.length).toBe(18)
    const keyOf = (i: number): string => (i < 9 ? a.keys[a.classOf[i]!]! : b.keys[b.classOf[i - 9]!]!)
    const ref = runPlannedSweep(smallSeries(), smallSpec).sims
    for (let i = 0; i < 18; i++) for (let j = 0; j < 18; j++) expect(keyOf(i) === keyOf(j)).toBe(ref.simOf[i] === ref.simOf[j])
  })

  it('keeps the series cache between sweeps: a repeated sweep builds nothing', () => {
    const api = createSweepWorker()
    api.loadSeries(7, packCandles(smallSeries(), false))
    api.prepare(7, smallSpec)
    const labelled = api.classKeys(0, 18).cacheBuilds
    expect(labelled).toBeGreaterThan(0)
    const first = api.runSims(Int32Array.of(0)).cacheBuilds
    expect(first).toBeGreaterThanOrEqual(labelled)
    api.prepare(7, smallSpec)
    expect(api.classKeys(0, 18).cacheBuilds).toBe(first)
    expect(api.runSims(Int32Array.of(0)).cacheBuilds).toBe(first)
  })

  it('refuses calls out of order or out of range with clear errors', () => {
    const api = createSweepWorker()
    expect(() => api.runSims(Int32Array.of(0))).toThrow(/before prepare/)
    expect(() => api.prepare(3, smallSpec)).toThrow(/before loadSeries\(3\)/)
    api.loadSeries(3, packCandles(smallSeries(), false))
    api.prepare(3, smallSpec)
    expect(() => api.runSims(Int32Array.of(18))).toThrow(/combo 18 outside \[0, 18\)/)
    expect(() => api.classKeys(10, 19)).toThrow(/point range \[10, 19\)/)
  })

  it('works through comlink over a MessageChannel, with the rows transferred back', async () => {
    const { port1, port2 } = new MessageChannel()
    expose(createSweepWorker({ transfer }), port1 as unknown as Endpoint)
    const remote = wrap<SweepWorkerApi>(port2 as unknown as Endpoint)
    try {
      await remote.loadSeries(1, packCandles(smallSeries(), false))
      expect((await remote.prepare(1, smallSpec)).comboCount).toBe(18)
      const all = Int32Array.from({ length: 18 }, (_, i) => i)
      const r = await remote.runSims(all)
      expect(r.rows).toEqual(runSweep(smallSeries(), smallSpec).rows)
      expect((await remote.classKeys(0, 18)).classOf.length).toBe(18)
    } finally {
      port1.close()
      port2.close()
    }
  })
})

describe("the sweep worker: the robustness report's calls", () => {
  it('simulate, planSims and cscvWorse answer without touching the prepared sweep', () => {
    const week = minuteSeries(5, 8 * 1440)
    const api = createSweepWorker()
    expect(() => api.simulate(1, smallSpec, Int32Array.of(0), {})).toThrow(/before loadSeries/)
    api.loadSeries(1, packCandles(week, false))
    const prep = api.prepare(1, smallSpec)
    const rows = runSweep(week, smallSpec).rows
    const planned = runPlannedSweep(week, smallSpec).sims
    const p = api.planSims(1, smallSpec)
    expect(p.simCount).toBe(planned.simCount)
    expect(Array.from(p.repOf)).toEqual(Array.from(planned.repOf))
    // Daily returns and block numbers of the same backtests agree with the runner's own reduction.
    const combos = Int32Array.of(2, 9, 17)
    const d = api.simulate(1, smallSpec, combos, { daily: true })
    expect(d.daily!.length).toBe(3 * prep.dayCount)
    const b = api.simulate(1, smallSpec, combos, { blocks: 2 })
    const blockLen = checkPboShape(prep.dayCount, 2)
    const want = new Float64Array(3 * 2 * PBO_STATS)
    for (let k = 0; k < 3; k++)
      columnStatsInto(d.daily!.subarray(k * prep.dayCount, (k + 1) * prep.dayCount), 2, blockLen, want, k * 2 * PBO_STATS)
    expect(sameRows(b.blockStats!, want)).toEqual([])
    expect(sameRows(b.rows, d.rows)).toEqual([])
    // runSims with blocks gives the same numbers as simulate.
    const r = api.runSims(combos, 2)
    expect(sameRows(r.blockStats!, want)).toEqual([])
    // cscvWorse over every pair is cscvPbo's count.
    const rng = createRng(3)
    const cols = Array.from({ length: 5 }, () => Float64Array.from({ length: 24 }, () => rng.normal() * 0.01))
    const m = new CscvMatrix(5, 24, 6)
    cols.forEach((c, j) => m.setColumn(j, c))
    const pairs = splitPairs(6)
    const worse = api.cscvWorse({ columns: 5, periods: 24, blocks: 6, stats: m.stats, metric: 'sharpe', from: 0, to: pairs })
    expect(pboFromWorse(6, 5, [{ from: 0, to: pairs, worse }])).toEqual(cscvPbo(m))
    // The prepared sweep still answers as before.
    const one = api.runSims(Int32Array.of(3)).rows
    expect(Array.from(one)).toEqual(Array.from(rows.subarray(3 * METRIC_COUNT, 4 * METRIC_COUNT)))
  })
})
