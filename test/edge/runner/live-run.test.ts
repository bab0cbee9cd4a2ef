// LiveRun against an in-memory venue (fake-venue.ts), bar by bar: the order gateway, fills booked
// from the journal, the replay after a restart, and the startup scenarios of reliability.md §2
// (S1 filled while down, S3/S4 intent journaled and the venue has it or not, S6 balance
// disagreement, S8 venue errors at start), ambiguous placements, halts and risk refusals.
import { describe, expect, it } from 'vitest'
import { allocSeries, type CandleSeries } from '../../../shared/candles/types.ts'
import { sliceByIndex } from '../../../shared/candles/index.ts'
import { compileExecConfig } from '../../../shared/engine/params.ts'
import { DEFAULT_EXEC_CONFIG, type ExecConfig } from '../../../shared/engine/types.ts'
import { UPBIT_KRW_RULES } from '../../../shared/upbit/venue-rules.ts'
import { createEventLog } from '../../../edge/runner/event-log.ts'
import { LiveRun, placeIdAt } from '../../../edge/runner/live-run.ts'
import { RunHalt } from '../../../edge/runner/paper-run.ts'
import { RiskGuard } from '../../../edge/runner/risk.ts'
import type { Journal } from '../../../edge/journal/index.ts'
import { memoryJournal, newPromotion, NOW } from '../journal/fixtures.ts'
import { FakeVenue } from './fake-venue.ts'

const TF = 60_000
const T0 = 1_700_000_040_000 - (1_700_000_040_000 % TF)
const RUN = 'l1'
const WARMUP = 5
const LOOSE = { maxPositionQuote: 1e9, dailyLossLimitRate: 1, maxDrawdownRate: 1 }

function journalWithLiveRun(): Journal {
  const j = memoryJournal()
  const { row } = j.promotions.insertOrGet(newPromotion(1), NOW)
  j.runs.createRun({ id: RUN, promotionId: row.id, venue: 'sim', mode: 'live', market: 'KRW-BTC' }, NOW)
  return j
}

/** n one-minute bars around 50,000,000 KRW (deterministic wiggle). */
function bars(n: number, price = 50_000_000): CandleSeries {
  const s = allocSeries(n)
  for (let i = 0; i < n; i++) {
    const p = price + ((i * 7919) % 13) * 1_000 - 6_000
    s.time[i] = T0 + i * TF
    s.open[i] = p
    s.high[i] = p + 20_000
    s.low[i] = p - 20_000
    s.close[i] = p
    s.volume[i] = 1
  }
  return s
}

/** Signals by bar index: +1 at `buys`, −1 at `sells`. */
const signalsAt =
  (buys: readonly number[], sells: readonly number[]) =>
  (s: CandleSeries): Int8Array => {
    const out = new Int8Array(s.time.length)
    for (const b of buys) if (b < out.length) out[b] = 1
    for (const b of sells) if (b < out.length) out[b] = -1
    return out
  }

interface Harness {
  readonly run: LiveRun
  readonly venue: FakeVenue
  readonly journal: Journal
  readonly all: CandleSeries
  /** Appends bar i, settles and decides it, then sends what was decided. */
  step(i: number): Promise<void>
}

function harness(
  o: {
    journal?: Journal
    venue?: FakeVenue
    cfg?: Partial<ExecConfig>
    signals?: (s: CandleSeries) => Int8Array
    risk?: typeof LOOSE
    n?: number
  } = {},
): Harness {
  const journal = o.journal ?? journalWithLiveRun()
  const venue = o.venue ?? new FakeVenue()
  const all = bars(o.n ?? 60)
  const cfg = { ...DEFAULT_EXEC_CONFIG, orderType: 'market' as const, ...o.cfg }
  const run = new LiveRun({
    runId: RUN,
    market: 'KRW-BTC',
    timeframeMs: TF,
    params: compileExecConfig(cfg, UPBIT_KRW_RULES),
    signals: o.signals ?? signalsAt([6, 12], [9, 15]),
    journal,
    events: createEventLog(journal),
    venue,
    risk: new RiskGuard(o.risk ?? LOOSE, cfg.initialCash),
    nowMs: () => NOW,
    venueNowMs: () => venue.nowMs,
    sleep: async () => {},
    followDelaysMs: [0, 0, 0],
    cancelVerifyMs: 0,
  })
  const slice = (from: number, to: number): CandleSeries => sliceByIndex(all, from, to)
  return {
    run,
    venue,
    journal,
    all,
    async step(i) {
      if (run.series.length === 0) run.startAfterWarmup(slice(0, WARMUP))
      venue.nowMs = all.time[i]! + TF + 1
      await run.sync()
      run.series.append(slice(i, i + 1))
      run.stepClosedBars()
      await run.flush()
    },
  }
}

async function stepThrough(h: Harness, to: number, from = WARMUP): Promise<void> {
  for (let i = from; i <= to; i++) await h.step(i)
}

describe('LiveRun', () => {
  it('sends each decision once under its intent id, books the venue fills and keeps the books', async () => {
    const h = harness()
    await stepThrough(h, 20)
    // Two round trips: buy at 6, sell at 9, buy at 12, sell at 15.
    expect(h.venue.calls.place).toBe(4)
    expect([...h.venue.orders.keys()]).toEqual([6, 9, 12, 15].map((b) => placeIdAt(RUN, h.all.time[b]!)))
    const fills = h.journal.fills.fillsOfRun(RUN)
    expect(fills.map((f) => f.side)).toEqual(['buy', 'sell', 'buy', 'sell'])
    expect(h.run.st.qty).toBe(0)
    expect(h.run.st.closedTrades).toBe(2)
    // Booked at the settle of the bar after the decision (a backtest's next-open fill).
    for (const b of [6, 9, 12, 15]) {
      const row = h.journal.orders.getOrder(placeIdAt(RUN, h.all.time[b]!))!
      expect(row.state).toBe('filled')
      expect(row.bookedBarMs).toBe(h.all.time[b + 1])
    }
    expect(h.journal.orders.unresolvedOfRun(RUN)).toEqual([])
  })

  it('a replay over the same journal rebuilds the same books without a venue call', async () => {
    const h = harness()
    await stepThrough(h, 20)
    const last = h.journal.equity.lastPoint(RUN)!
    // The bars up to the last journaled one (bar 20), replayed silently.
    const cut = sliceByIndex(h.all, 0, 21)
    const fresh = harness({ journal: h.journal, venue: new FakeVenue() })
    fresh.run.resumeAt(cut, h.all.time[WARMUP]!, last.timeMs)
    fresh.run.stepClosedBars()
    await fresh.run.flush()
    expect(fresh.venue.calls.place).toBe(0)
    expect([fresh.run.st.cash, fresh.run.st.qty, fresh.run.st.closedTrades, fresh.run.st.wins]).toEqual([
      h.run.st.cash,
      h.run.st.qty,
      h.run.st.closedTrades,
      h.run.st.wins,
    ])
  })

  it('a decision that differs from the journaled intent under its id halts (not reproducible)', async () => {
    const h = harness()
    await stepThrough(h, 8)
    const last = h.journal.equity.lastPoint(RUN)!
    const other = harness({ journal: h.journal, venue: new FakeVenue(), cfg: { sizing: { kind: 'fixed-quote', notionalQuote: 100_000 } } })
    const upto = 9
    other.run.resumeAt(sliceByIndex(h.all, 0, upto), h.all.time[WARMUP]!, last.timeMs)
    expect(() => other.run.stepClosedBars()).toThrow(RunHalt)
    expect(() => other.run.stepClosedBars()).toThrow(/not reproducible/)
  })

  it('an ambiguous placement that landed is adopted by lookup; one that did not is not placed after three lookups', async () => {
    const h = harness()
    h.venue.outcomes.push('ambiguous-landed')
    await stepThrough(h, 7)
    const id6 = placeIdAt(RUN, h.all.time[6]!)
    // Unknown after the send; the next sync finds it with its trade.
    await h.step(8)
    expect(h.journal.orders.getOrder(id6)!.state).toBe('filled')
    expect(h.run.st.qty).toBeGreaterThan(0)
    expect(h.venue.calls.place).toBe(1)

    const g = harness()
    g.venue.outcomes.push('ambiguous-lost')
    await stepThrough(g, 10)
    const lost = g.journal.orders.getOrder(placeIdAt(RUN, g.all.time[6]!))!
    expect(lost.state).toBe('not_placed')
    expect(g.venue.calls.place).toBe(1)
    expect(g.run.st.qty).toBe(0)
    // The kernel's pending order cleared, so the next buy signal trades.
    await stepThrough(g, 14, 11)
    expect(g.run.st.qty).toBeGreaterThan(0)
  })

  it('refusals: the venue says no (rejected, counted), the risk gateway says no (never sent)', async () => {
    const h = harness()
    h.venue.outcomes.push('reject')
    await stepThrough(h, 8)
    expect(h.journal.orders.getOrder(placeIdAt(RUN, h.all.time[6]!))!.state).toBe('rejected')
    expect(h.run.st.rejectInsufficientCash).toBe(1)
    expect(h.run.st.qty).toBe(0)

    const r = harness({ risk: { ...LOOSE, maxPositionQuote: 100_000 } })
    await stepThrough(r, 20)
    expect(r.venue.calls.place).toBe(0)
    expect(r.journal.orders.ordersOfRun(RUN).map((o) => o.state)).toEqual(['rejected', 'rejected'])
  })

  it('after closeTrading (kill, halt) nothing is sent, whatever the signals', async () => {
    const every = (s: CandleSeries): Int8Array => Int8Array.from(s.time, (_, i) => (i % 2 === 0 ? 1 : -1))
    const h = harness({ signals: every, n: 260 })
    await stepThrough(h, 6)
    const before = h.venue.calls.place
    h.run.closeTrading()
    await stepThrough(h, 250, 7)
    expect(h.venue.calls.place).toBe(before)
  })

  it('a trade heard on the private stream before the REST answer is journaled once', async () => {
    const h = harness()
    await stepThrough(h, 6)
    const id = placeIdAt(RUN, h.all.time[6]!)
    const o = h.venue.orders.get(id)!
    // Replay the venue's trade as a myOrder event (twice), then the REST lookup sees it too.
    const t = o.trades[0]!
    for (let k = 0; k < 2; k++) {
      h.run.onMyOrder({
        market: 'KRW-BTC',
        uuid: o.uuid,
        identifier: id,
        side: 'bid',
        ordType: 'price',
        state: 'trade',
        trade: { uuid: t.uuid, price: t.price, volume: t.volume, feeQuote: t.funds * 0.0005, timeMs: t.createdAtMs },
        executedVolume: t.volume,
        executedFunds: t.funds,
        paidFee: 0,
        timeMs: t.createdAtMs,
      })
    }
    await h.step(7)
    expect(h.journal.fills.fillsOfOrder(id)).toHaveLength(1)
  })

  it('fills beyond an order volume halt the run', async () => {
    const h = harness({ cfg: { orderType: 'limit' } })
    await stepThrough(h, 6)
    const id = placeIdAt(RUN, h.all.time[6]!)
    const vol = h.venue.orders.get(id)!.input.volume!
    h.venue.fill(id, vol)
    h.venue.orders.get(id)!.trades.push({ ...h.venue.orders.get(id)!.trades[0]!, uuid: 'extra' })
    await expect(h.step(7)).rejects.toThrow(/exceed/)
  })

  describe('restart: reconcile before trading', () => {
    /** Steps a live run to `to`, then returns a second run on the same journal, replayed to the last journaled bar. */
    async function restarted(prepare: (h: Harness) => void | Promise<void>, to = 6) {
      const h = harness()
      await stepThrough(h, to)
      await prepare(h)
      const last = h.journal.equity.lastPoint(RUN)!
      const r = harness({ journal: h.journal, venue: h.venue })
      const upto = h.all.time.indexOf(last.timeMs) + 1
      r.run.resumeAt(sliceByIndex(h.all, 0, upto), h.all.time[WARMUP]!, last.timeMs)
      r.run.stepClosedBars()
      return { h, r }
    }

    it('S1: an open limit order filled while edge was down is adopted with its trade and booked', async () => {
      const h0 = harness({ cfg: { orderType: 'limit', orderTtlBars: 5 } })
      await stepThrough(h0, 6)
      const id = placeIdAt(RUN, h0.all.time[6]!)
      expect(h0.venue.orders.get(id)!.state).toBe('wait')
      h0.venue.fill(id)
      const r = harness({ journal: h0.journal, venue: h0.venue, cfg: { orderType: 'limit', orderTtlBars: 5 } })
      const last = h0.journal.equity.lastPoint(RUN)!
      r.run.resumeAt(h0.all, h0.all.time[WARMUP]!, last.timeMs)
      expect(await r.run.reconcile()).toEqual({ ok: true })
      expect(h0.journal.orders.getOrder(id)!.state).toBe('filled')
      expect(h0.journal.fills.fillsOfOrder(id)).toHaveLength(1)
    })

    it('S3: an intent journaled but not known as sent, which the venue has, is adopted (never sent again)', async () => {
      const { h, r } = await restarted(async (h) => {
        // Simulate "crashed after the send, before the answer was journaled".
        const id = placeIdAt(RUN, h.all.time[6]!)
        h.journal.db.prepare("UPDATE orders SET state = 'pending_submit', venue_uuid = NULL, booked_bar_ms = NULL WHERE id = ?").run(id)
        h.journal.db.prepare('DELETE FROM fills WHERE order_id = ?').run(id)
        h.journal.db.prepare('DELETE FROM equity_points WHERE time_ms >= ?').run(h.all.time[6]!)
      }, 7)
      const places = h.venue.calls.place
      expect(await r.run.reconcile()).toEqual({ ok: true })
      const id = placeIdAt(RUN, h.all.time[6]!)
      expect(h.journal.orders.getOrder(id)!.state).toBe('filled')
      expect(h.journal.fills.fillsOfOrder(id)).toHaveLength(1)
      // Re-deciding bar 6 finds the resolved row: nothing is sent.
      r.run.series.append(sliceByIndex(h.all, 6, 8))
      r.run.stepClosedBars()
      await r.run.flush()
      expect(h.venue.calls.place).toBe(places)
      expect(r.run.st.qty).toBeGreaterThan(0)
    })

    it('S4: an intent journaled that the venue never got is not placed after three lookups', async () => {
      const { h, r } = await restarted(async (h) => {
        const id = placeIdAt(RUN, h.all.time[6]!)
        h.venue.orders.delete(id)
        h.journal.db.prepare("UPDATE orders SET state = 'pending_submit', venue_uuid = NULL, booked_bar_ms = NULL WHERE id = ?").run(id)
        h.journal.db.prepare('DELETE FROM fills WHERE order_id = ?').run(id)
      })
      expect(await r.run.reconcile()).toEqual({ ok: true })
      expect(h.journal.orders.getOrder(placeIdAt(RUN, h.all.time[6]!))!.state).toBe('not_placed')
    })

    it('S6: the venue holds less than the fills say: halt', async () => {
      const { h, r } = await restarted((h) => {
        h.venue.extraBase = -0.001
      }, 7)
      expect(h.run.st.qty).toBeGreaterThan(0)
      await expect(r.run.reconcile()).rejects.toThrow(/reconcile by hand/)
    })

    it('S8: the venue errs during reconciliation: not ok (the loop retries), nothing sent', async () => {
      const { h, r } = await restarted((h) => {
        h.journal.db.prepare("UPDATE orders SET state = 'unknown' WHERE id = ?").run(placeIdAt(RUN, h.all.time[6]!))
        h.venue.failLookups = 5
      })
      const places = h.venue.calls.place
      const res = await r.run.reconcile()
      expect(res.ok).toBe(false)
      expect(h.venue.calls.place).toBe(places)
    })
  })

  it('a protective stop is a market sell at the close of the bar that crossed it, booked with its reason', async () => {
    const h = harness({ cfg: { stopLossRate: 0.001 }, signals: signalsAt([6], []) })
    await stepThrough(h, 8)
    expect(h.run.st.qty).toBeGreaterThan(0)
    // A bar whose low crosses the stop.
    h.all.low[9] = h.run.st.entryPrice * 0.99
    await stepThrough(h, 11, 9)
    expect(h.run.st.qty).toBe(0)
    const sells = h.journal.fills.fillsOfRun(RUN).filter((f) => f.side === 'sell')
    expect(sells).toHaveLength(1)
    expect(h.journal.orders.getOrder(placeIdAt(RUN, h.all.time[9]!))!.state).toBe('filled')
  })
})

describe('RiskGuard', () => {
  it('halts on the day loss (KST day) and on drawdown from the peak', () => {
    const g = new RiskGuard({ maxPositionQuote: 1e9, dailyLossLimitRate: 0.05, maxDrawdownRate: 0.1 }, 1_000_000)
    // 2024-01-01 14:59 UTC is 23:59 KST; 15:00 UTC starts the next KST day.
    const d1 = Date.UTC(2024, 0, 1, 10)
    expect(g.mark(d1, 1_000_000)).toBeNull()
    expect(g.mark(d1 + 60_000, 960_000)).toBeNull()
    expect(g.mark(Date.UTC(2024, 0, 1, 14, 59), 951_000)).toBeNull()
    // New KST day: it starts at 951,000; a 4% fall is inside the 5% limit, 5% is not.
    expect(g.mark(Date.UTC(2024, 0, 1, 15, 1), 913_000)).toBeNull()
    expect(g.mark(Date.UTC(2024, 0, 1, 15, 2), 903_000)).toMatch(/daily loss/)
    const dd = new RiskGuard({ maxPositionQuote: 1e9, dailyLossLimitRate: 1, maxDrawdownRate: 0.1 }, 1_000_000)
    expect(dd.mark(d1, 1_200_000)).toBeNull()
    expect(dd.mark(d1 + 86_400_000, 1_081_000)).toBeNull()
    expect(dd.mark(d1 + 2 * 86_400_000, 1_080_000)).toMatch(/drawdown 10.00%/)
  })

  it('refuses a buy that would pass the max position', () => {
    const g = new RiskGuard({ maxPositionQuote: 100_000, dailyLossLimitRate: 1, maxDrawdownRate: 1 }, 1_000_000)
    expect(g.checkBuy(100_000, 0)).toBeNull()
    expect(g.checkBuy(100_001, 0)).toMatch(/max position/)
    expect(g.checkBuy(Number.NaN, 0)).toMatch(/max position/)
  })
})
