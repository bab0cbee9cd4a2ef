// The broker seam: a run that decides through intents and settles through the simulated broker is
// the backtest, event for event (paper/backtest parity), and its intent ids are deterministic.
import { describe, expect, it } from 'vitest'
import { runBacktest } from '../../../shared/backtest/run.ts'
import { bookReport, SimulatedBroker, stepWithBroker, type BrokerReport } from '../../../shared/engine/broker.ts'
import { decideIntents, intentId, type Intent } from '../../../shared/engine/intents.ts'
import { equityAt, stepBar } from '../../../shared/engine/kernel.ts'
import { compileExecConfig } from '../../../shared/engine/params.ts'
import { protectiveLevels, simulateFills } from '../../../shared/engine/sim-broker.ts'
import { decideAtClose } from '../../../shared/engine/decide.ts'
import { KernelState, type KernelSink } from '../../../shared/engine/state.ts'
import { DEFAULT_EXEC_CONFIG } from '../../../shared/engine/types.ts'
import { createRng } from '../../../shared/random.ts'
import { UPBIT_KRW_RULES } from '../../../shared/upbit/venue-rules.ts'
import { randomConfig } from '../../helpers/exec-configs.ts'
import { randomSignals, randomWalk, seriesOf, sig } from '../../helpers/series.ts'

function logger(): { events: string[]; sink: KernelSink } {
  const events: string[] = []
  return {
    events,
    sink: {
      onEntry: (...a) => void events.push(`E${a.join(',')}`),
      onExit: (...a) => void events.push(`X${a.join(',')}`),
      onReject: (...a) => void events.push(`R${a.join(',')}`),
    },
  }
}

describe('intentId', () => {
  it('is deterministic, fits Upbit identifiers (≤ 64 characters) and refuses bad parts', () => {
    const t = Date.UTC(2026, 11, 6, 9, 0)
    expect(intentId('run_1', t, 0)).toBe(`run_1-${t.toString(36)}-0`)
    expect(intentId('run_1', t, 0)).toBe(intentId('run_1', t, 0))
    expect(intentId('a'.repeat(40), 8.64e15, 99).length).toBeLessThanOrEqual(64)
    expect(() => intentId('', t, 0)).toThrow(/run id/)
    expect(() => intentId('has space', t, 0)).toThrow(/run id/)
    expect(() => intentId('r', -1, 0)).toThrow(/bar time/)
    expect(() => intentId('r', t, 100)).toThrow(/intent index/)
  })
})

describe('a run on the simulated broker', () => {
  it('equals the backtest kernel event for event, bar for bar (random series, configs, dust)', () => {
    let placed = 0
    let cancelled = 0
    let expired = 0
    for (let k = 0; k < 60; k++) {
      const rng = createRng(41_000 + k)
      const n = 200 + rng.int(800)
      const series = randomWalk(41_100 + k, n, [60_000, 150, 2.5, 100_000_000][k % 4]!)
      const signals = randomSignals(41_200 + k, n, [0.01, 0.05, 0.3][k % 3]!)
      const base = randomConfig(41_300 + k)
      // Every third case posts passive limits (rounded away from the market) so that orders expire.
      const passive =
        k % 3 === 0 ? ({ ...base, orderType: 'limit', aggressivenessRate: 0, buyRounding: 'down', sellRounding: 'up' } as const) : base
      const cfg = k % 2 ? { ...passive, initialCash: 12_000, feeRate: 0.01 } : passive
      const p = compileExecConfig(cfg, UPBIT_KRW_RULES)
      const a = logger()
      const ref = new KernelState()
      ref.reset(p.initialCash, a.sink)
      const b = logger()
      const st = new KernelState()
      st.reset(p.initialCash, b.sink)
      const broker = new SimulatedBroker(st, p)
      const ids = new Set<string>()
      for (let i = 0; i < n; i++) {
        stepBar(ref, p, series, signals, i)
        const intents: Intent[] = stepWithBroker(st, p, series, signals, i, broker, 'paper')
        for (const it of intents) {
          if (it.kind === 'place') {
            expect(ids.has(it.id)).toBe(false)
            ids.add(it.id)
            expect(it.barTimeMs).toBe(series.time[i])
            placed++
          } else {
            // A cancel names an order placed earlier in this run.
            expect(ids.has(it.targetId)).toBe(true)
            cancelled++
          }
        }
        expect(equityAt(st, series, i)).toBe(equityAt(ref, series, i))
      }
      expect(b.events, `case ${k}`).toEqual(a.events)
      expect({ ...st, sink: null }).toEqual({ ...ref, sink: null })
      expired += st.expiredOrders
    }
    expect(placed).toBeGreaterThan(500)
    // One cancel intent per expired order, each naming its order.
    expect(cancelled).toBe(expired)
    expect(cancelled).toBeGreaterThan(0)
  })

  it('gives intents with the sizes, prices and protective rates the backtest uses', () => {
    // Limit buy at close 10,000 × 1.002 = 10,020 for 1,000,000 KRW: 99.8003992 units.
    const s = seriesOf([
      [10_000, 10_000, 10_000, 10_000],
      [10_050, 10_100, 10_040, 10_060],
    ])
    const cfg = {
      ...DEFAULT_EXEC_CONFIG,
      feeRate: 0,
      aggressivenessRate: 0.002,
      sizing: { kind: 'fixed-quote', notionalQuote: 1_000_000 },
      stopLossRate: 0.02,
    } as const
    const p = compileExecConfig(cfg, UPBIT_KRW_RULES)
    const st = new KernelState()
    st.reset(p.initialCash, null)
    const intents = decideIntents(st, p, s, sig('+.'), 0, 'r1')
    expect(intents).toEqual([
      {
        kind: 'place',
        id: intentId('r1', s.time[0]!, 0),
        side: 'buy',
        type: 'limit',
        price: 10_020,
        qtyBase: 99.8003992,
        quoteAmount: NaN,
        barTimeMs: s.time[0],
        ttlBars: 1,
        stopLossRate: 0.02,
        takeProfitRate: 0,
        trailingStopRate: 0,
        stopLossPrice: 10_020 * 0.98,
        takeProfitPrice: NaN,
      },
    ])
    // Bar 1 never reaches 10,020: the order expires at its close, a cancel of that very id.
    const broker = new SimulatedBroker(st, p)
    const next = stepWithBroker(st, p, s, sig('+.'), 1, broker, 'r1')
    expect(next).toEqual([
      { kind: 'cancel', id: intentId('r1', s.time[1]!, 1), targetId: intentId('r1', s.time[0]!, 0), barTimeMs: s.time[1] },
    ])
    expect(runBacktest(s, sig('+.'), cfg).expiredOrders).toBe(1)
  })

  it('shows the protective levels of an open position as the fill model will apply them', () => {
    // Market buy at 10,000; stop 2% → 9,800, target 5% → 10,500; a 1% trailing stop from the
    // peak 10,300 (bar 2's high; the entry bar's own high does not count) → 10,197 is higher.
    const s = seriesOf([
      [10_000, 10_000, 10_000, 10_000],
      [10_000, 10_200, 9_990, 10_100],
      [10_100, 10_300, 10_050, 10_250],
    ])
    const p = compileExecConfig(
      { ...DEFAULT_EXEC_CONFIG, orderType: 'market', stopLossRate: 0.02, takeProfitRate: 0.05, trailingStopRate: 0.01 },
      UPBIT_KRW_RULES,
    )
    const st = new KernelState()
    st.reset(p.initialCash, null)
    stepBar(st, p, s, sig('+..'), 0)
    stepBar(st, p, s, sig('+..'), 1)
    expect(protectiveLevels(st, p)).toEqual({ stop: 10_000 * 0.99, takeProfit: 10_000 * 1.05 })
    stepBar(st, p, s, sig('+..'), 2)
    expect(protectiveLevels(st, p)).toEqual({ stop: 10_300 * 0.99, takeProfit: 10_000 * 1.05 })
  })

  it('decides the same bar to the same intent ids after a restart (replayed state)', () => {
    const s = randomWalk(7, 400)
    const signals = randomSignals(8, 400, 0.05)
    const p = compileExecConfig({ ...DEFAULT_EXEC_CONFIG, orderType: 'market' }, UPBIT_KRW_RULES)
    const run = (): string[] => {
      const st = new KernelState()
      st.reset(p.initialCash, null)
      const broker = new SimulatedBroker(st, p)
      const ids: string[] = []
      for (let i = 0; i < 400; i++) for (const it of stepWithBroker(st, p, s, signals, i, broker, 'r')) ids.push(it.id)
      return ids
    }
    const first = run()
    expect(first.length).toBeGreaterThan(10)
    expect(run()).toEqual(first)
  })

  it('refuses an intent that is not the state’s pending order', () => {
    const p = compileExecConfig(DEFAULT_EXEC_CONFIG, UPBIT_KRW_RULES)
    const st = new KernelState()
    st.reset(p.initialCash, null)
    const broker = new SimulatedBroker(st, p)
    const bogus: Intent = {
      kind: 'place',
      id: 'x-1-0',
      side: 'buy',
      type: 'market',
      price: NaN,
      qtyBase: NaN,
      quoteAmount: 5000,
      barTimeMs: 0,
      ttlBars: 1,
      stopLossRate: 0,
      takeProfitRate: 0,
      trailingStopRate: 0,
      stopLossPrice: NaN,
      takeProfitPrice: NaN,
    }
    expect(() => broker.submit([bogus])).toThrow(/not the state's pending order/)
  })
})

describe("bookReport: a live broker's fills booked like the simulated ones", () => {
  it("replaying the fill model's fills as venue reports gives the same books, bar for bar", () => {
    let booked = 0
    for (let k = 0; k < 40; k++) {
      const n = 600
      const series = randomWalk(52_000 + k, n, [60_000, 2.5][k % 2]!)
      const signals = randomSignals(52_100 + k, n, 0.05)
      // Accounts well above the minimum: every protective exit can be sold.
      const cfg = { ...randomConfig(52_200 + k), initialCash: 10_000_000 }
      const p = compileExecConfig(cfg, UPBIT_KRW_RULES)
      const a = logger()
      const sim = new KernelState()
      sim.reset(p.initialCash, a.sink)
      const b = logger()
      const live = new KernelState()
      live.reset(p.initialCash, b.sink)
      for (let i = 0; i < n; i++) {
        // The venue's side: the fill model on the simulated state; what it did becomes reports.
        const before = a.events.length
        simulateFills(sim, p, series, i)
        for (const e of a.events.slice(before)) {
          const f = e.slice(1).split(',').map(Number)
          const r: BrokerReport =
            e[0] === 'E'
              ? { kind: 'bought', bar: f[0]!, price: f[1]!, qtyBase: f[2]! }
              : e[0] === 'X'
                ? { kind: 'sold', bar: f[0]!, price: f[1]!, exitReason: f[6]! }
                : { kind: 'rejected', bar: f[0]!, reason: f[2]! }
          expect(bookReport(live, p, r)).toBe(true)
          booked++
        }
        decideAtClose(sim, p, series, signals, i)
        decideIntents(live, p, series, signals, i, 'live')
      }
      expect(b.events).toEqual(a.events)
      expect({ ...live, sink: null }).toEqual({ ...sim, sink: null })
    }
    expect(booked).toBeGreaterThan(500)
  })

  it('refuses reports that do not fit the state (the runner must reconcile)', () => {
    const p = compileExecConfig(DEFAULT_EXEC_CONFIG, UPBIT_KRW_RULES)
    const st = new KernelState()
    st.reset(p.initialCash, null)
    expect(bookReport(st, p, { kind: 'bought', bar: 0, price: 100, qtyBase: 1 })).toBe(false)
    expect(bookReport(st, p, { kind: 'sold', bar: 0, price: 100, exitReason: 0 })).toBe(false)
    expect(bookReport(st, p, { kind: 'rejected', bar: 0, reason: 0 })).toBe(false)
    expect(st.cash).toBe(p.initialCash)
  })
})
