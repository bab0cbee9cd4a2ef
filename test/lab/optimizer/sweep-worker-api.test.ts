import { MessageChannel } from 'node:worker_threads'
import { expose, wrap } from 'comlink'
import type { Endpoint } from 'comlink'
import { describe, expect, it } from 'vitest'
import { METRIC_COUNT } from '../../../shared/metrics/types.ts'
import { runSweep } from '../../../shared/optimize/index.ts'
import { packCandles, unpackCandles } from '../../../lab/optimizer/candle-payload.ts'
import { createSweepWorkerApi } from '../../../lab/optimizer/sweep-worker-api.ts'
import type { SweepWorkerApi } from '../../../lab/optimizer/sweep-worker-api.ts'
import { smallSeries, smallSpec } from './fixtures.ts'

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

describe('sweep worker API', () => {
  it('loads once and runs ranges equal to the single-thread sweep', () => {
    const api = createSweepWorkerApi()
    const loaded = api.load(packCandles(smallSeries(), true), smallSpec)
    expect(loaded).toEqual({ comboCount: 18, bars: smallSeries().time.length, sharing: 'shared' })
    const whole = runSweep(smallSeries(), smallSpec).rows
    const r = api.runRange(5, 11)
    expect(r.rows).toEqual(whole.slice(5 * METRIC_COUNT, 11 * METRIC_COUNT))
    expect(r.simulated + r.copied).toBe(6)
  })

  it('refuses calls out of order or out of range with clear errors', () => {
    const api = createSweepWorkerApi()
    expect(() => api.runRange(0, 1)).toThrow(/before load/)
    api.load(packCandles(smallSeries(), false), smallSpec)
    expect(() => api.runRange(10, 19)).toThrow(/bad range \[10, 19\) of 18/)
  })

  it('works through comlink over a MessageChannel, with the rows transferred back', async () => {
    const { port1, port2 } = new MessageChannel()
    expose(createSweepWorkerApi({ transferResults: true }), port1 as unknown as Endpoint)
    const remote = wrap<SweepWorkerApi>(port2 as unknown as Endpoint)
    try {
      expect((await remote.load(packCandles(smallSeries(), false), smallSpec)).comboCount).toBe(18)
      const r = await remote.runRange(0, 18)
      expect(r.rows).toEqual(runSweep(smallSeries(), smallSpec).rows)
    } finally {
      port1.close()
      port2.close()
    }
  })
})
