// The live cell's state: the stream client (auth in the first message with the last seq, every
// event once in seq order, reconnect with backoff from the last seq after a drop or edge's "too
// slow" close, no retry on a refused token, reconnect now), the run book (the fold of events and
// journal seed: idempotent, orders only move forward, open orders, seq ranges), the shadow
// comparison (a paper run equal to its backtest has no divergence; a missing, moved or extra fill
// is named with its bar and cause; a user strategy is not replayed) and the follower (attach,
// follow, remember where the run's events start, stop and kill, the comparison kept current).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { TIMEFRAME_MS } from '../../../shared/candles/index.ts'
import { DEFAULT_EXEC_CONFIG } from '../../../shared/engine/index.ts'
import { backtestFills } from '../../../shared/shadow/index.ts'
import { findStrategy } from '../../../shared/strategies/index.ts'
import { EdgeStream, type SocketLike, type StreamFrame } from '../../../lab/stream/edge-stream.svelte.ts'
import type { LiveApi, Promotion, RunActivity, RunView } from '../../../lab/notebook/cells/live/api.ts'
import { RunBook, rangesOf } from '../../../lab/notebook/cells/live/book.ts'
import { RunFollower, type SeqMemo } from '../../../lab/notebook/cells/live/follower.svelte.ts'
import {
  computeShadow,
  planShadow,
  planUserShadow,
  runRange,
  MIN_WARMUP_BARS,
  type ShadowPlan,
} from '../../../lab/notebook/cells/live/shadow.ts'
import { createUserSignalsCore } from '../../../lab/notebook/cells/live/user-signals-core.ts'
import { inProcessUserSignals } from '../../../lab/notebook/cells/live/user-signals.ts'
import { sha256Hex } from '../../../lab/strategies/index.ts'
import type { Evaluate } from '../../../shared/strategies/user/source.ts'
import { RSI_AS_BUILTIN } from '../../shared/strategies/user/rsi-as-builtin.ts'
import { randomWalk } from '../../helpers/series.ts'
import { runBacktest } from '../../../shared/backtest/index.ts'

class FakeSocket implements SocketLike {
  static all: FakeSocket[] = []
  sent: string[] = []
  closed: { code?: number } | null = null
  onopen: ((ev: unknown) => void) | null = null
  onmessage: ((ev: { readonly data: unknown }) => void) | null = null
  onclose: ((ev: { readonly code: number; readonly reason: string }) => void) | null = null
  onerror: ((ev: unknown) => void) | null = null
  constructor(readonly url: string) {
    FakeSocket.all.push(this)
  }
  send(d: string): void {
    this.sent.push(d)
  }
  close(code?: number): void {
    this.closed = { code }
  }
  open(): void {
    this.onopen?.({})
  }
  frame(f: Partial<StreamFrame> & { seq: number }): void {
    this.onmessage?.({ data: JSON.stringify({ time: 1, kind: 'equity', runId: 'r1', ...f }) })
  }
  live(lastSeq: number): void {
    this.onmessage?.({ data: JSON.stringify({ type: 'live', lastSeq }) })
  }
  beat(lastSeq: number): void {
    this.onmessage?.({ data: JSON.stringify({ type: 'heartbeat', lastSeq, time: 1 }) })
  }
  raw(data: string): void {
    this.onmessage?.({ data })
  }
  drop(code = 1006): void {
    this.onclose?.({ code, reason: '' })
  }
}

const last = (): FakeSocket => FakeSocket.all.at(-1)!
const TOKEN = 'a'.repeat(64)

function stream(fromSeq = 0): EdgeStream {
  return new EdgeStream({
    token: () => TOKEN,
    fromSeq,
    url: 'ws://x/api/stream',
    socket: (u) => new FakeSocket(u),
    backoffMs: [100, 200, 400],
    random: () => 0.5,
  })
}

beforeEach(() => {
  FakeSocket.all = []
})

/** Fake timers, a started client on an open socket, and the seqs it delivers. */
function openedWithFakeTimers(): { s: EdgeStream; got: number[] } {
  vi.useFakeTimers()
  const s = stream()
  const got: number[] = []
  s.subscribe((f) => got.push(f.seq))
  s.start()
  last().open()
  return { s, got }
}
afterEach(() => {
  vi.useRealTimers()
})

describe('edge stream client', () => {
  it('authenticates in the first message with the last seq, delivers each event once, goes live at the marker', () => {
    const s = stream(7)
    const got: number[] = []
    s.subscribe((f) => got.push(f.seq))
    s.start()
    expect(s.state).toBe('connecting')
    last().open()
    expect(JSON.parse(last().sent[0]!)).toEqual({ type: 'auth', token: TOKEN, lastSeq: 7 })
    expect(last().url).toBe('ws://x/api/stream')
    expect(s.state).toBe('behind')
    last().frame({ seq: 8 })
    last().frame({ seq: 8 })
    last().frame({ seq: 6 })
    last().frame({ seq: 9 })
    last().live(9)
    expect(s.state).toBe('live')
    expect(got).toEqual([8, 9])
    expect(s.duplicates).toBe(2)
    expect(s.lastSeq).toBe(9)
  })

  it('reconnects with backoff after a drop and resumes after the last seq: no gap, no repeat', () => {
    const { s, got } = openedWithFakeTimers()
    for (const seq of [1, 2, 3]) last().frame({ seq })
    last().live(3)
    last().drop()
    expect(s.state).toBe('reconnecting')
    expect(FakeSocket.all).toHaveLength(1)
    vi.advanceTimersByTime(99)
    expect(FakeSocket.all).toHaveLength(1)
    vi.advanceTimersByTime(1)
    expect(FakeSocket.all).toHaveLength(2)
    // The second connection fails before opening: the wait grows.
    last().drop()
    vi.advanceTimersByTime(199)
    expect(FakeSocket.all).toHaveLength(2)
    vi.advanceTimersByTime(1)
    last().open()
    expect(JSON.parse(last().sent[0]!).lastSeq).toBe(3)
    // Edge replays from the journal; a repeat of 3 (say, from a page boundary) is dropped.
    for (const seq of [3, 4, 5]) last().frame({ seq })
    last().live(5)
    expect(got).toEqual([1, 2, 3, 4, 5])
    expect(s.reconnects).toBe(2)
    // Live again: the backoff starts over.
    last().drop(4008)
    expect(s.lastProblem).toMatch(/too slow/)
    vi.advanceTimersByTime(100)
    expect(FakeSocket.all).toHaveLength(4)
  })

  it('a refused token stops it (no retry loop); reconnectNow drops and resumes at once; stop closes', () => {
    vi.useFakeTimers()
    const s = stream()
    s.start()
    last().open()
    last().drop(4401)
    expect(s.state).toBe('unauthorized')
    vi.advanceTimersByTime(60_000)
    expect(FakeSocket.all).toHaveLength(1)
    s.start()
    last().open()
    last().frame({ seq: 10 })
    const before = last()
    s.reconnectNow()
    expect(before.closed).not.toBeNull()
    expect(FakeSocket.all).toHaveLength(3)
    last().open()
    expect(JSON.parse(last().sent[0]!).lastSeq).toBe(10)
    // A late message of the old socket is ignored.
    before.frame({ seq: 11 })
    expect(s.lastSeq).toBe(10)
    s.stop()
    expect(s.state).toBe('closed')
    expect(last().closed).not.toBeNull()
  })

  it('a connection that says nothing for 30 s is replaced; beats and frames keep it', () => {
    vi.useFakeTimers()
    const s = stream()
    s.start()
    last().open()
    last().live(0)
    vi.advanceTimersByTime(25_000)
    last().beat(0)
    vi.advanceTimersByTime(25_000)
    last().frame({ seq: 1 })
    vi.advanceTimersByTime(29_000)
    expect(FakeSocket.all).toHaveLength(1)
    expect(s.state).toBe('live')
    vi.advanceTimersByTime(1_000)
    expect(last().closed).toEqual({ code: 4000 })
    expect(s.state).toBe('reconnecting')
    expect(s.lastProblem).toMatch(/no word from edge for 30 s/)
    vi.advanceTimersByTime(100)
    expect(FakeSocket.all).toHaveLength(2)
    last().open()
    expect(JSON.parse(last().sent[0]!).lastSeq).toBe(1)
    s.stop()
  })

  it('a beat naming a seq it never delivered fetches the lost frames again; three tries for one seq, then it says so', () => {
    const { s, got } = openedWithFakeTimers()
    last().frame({ seq: 1 })
    last().live(1)
    last().beat(1)
    expect(FakeSocket.all).toHaveLength(1)
    // Frame 2 arrives unreadable: the next beat says edge sent up to 2.
    last().raw('{"seq": 2, "kind": "fill", "runId"')
    last().beat(2)
    expect(s.gaps).toBe(1)
    expect(FakeSocket.all[0]!.closed).not.toBeNull()
    expect(FakeSocket.all).toHaveLength(2)
    last().open()
    expect(JSON.parse(last().sent[0]!).lastSeq).toBe(1)
    last().frame({ seq: 2 })
    last().live(2)
    expect(got).toEqual([1, 2])
    expect(s.lastProblem).toBeNull()
    // A frame that never reads: three more connections for it, then the page says so and stays.
    for (let k = 0; k < 3; k++) {
      last().raw('not json')
      last().beat(3)
      last().open()
      last().live(2)
    }
    expect(FakeSocket.all).toHaveLength(5)
    last().beat(3)
    expect(FakeSocket.all).toHaveLength(5)
    expect(s.gaps).toBe(4)
    expect(s.lastProblem).toMatch(/after seq 2 .*could not read/)
    expect(s.state).toBe('live')
    s.stop()
  })

  it('without a token it does not connect', () => {
    const s = new EdgeStream({ token: () => null, socket: (u) => new FakeSocket(u), url: 'ws://x' })
    s.start()
    expect(s.state).toBe('unauthorized')
    expect(FakeSocket.all).toHaveLength(0)
  })
})

const f = (seq: number, kind: string, rest: Record<string, unknown> = {}): StreamFrame => ({
  seq,
  time: 1000 + seq,
  kind,
  runId: 'r1',
  ...rest,
})

describe('run book', () => {
  it('folds events: orders, fills, position, equity, halts; open orders; seq ranges', () => {
    const b = new RunBook('r1')
    b.apply(f(1, 'status', { status: 'starting', haltReason: null }))
    b.apply(f(2, 'status', { status: 'running', haltReason: null }))
    b.apply(
      f(3, 'order_submitted', { barTimeMs: 60_000, orderId: 'o1', side: 'buy', type: 'limit', price: 100, qtyBase: 2, quoteAmount: null }),
    )
    expect(b.view().openOrders.map((o) => o.id)).toEqual(['o1'])
    b.apply(f(4, 'fill', { barTimeMs: 120_000, orderId: 'o1', side: 'buy', price: 100, qtyBase: 2, feeQuote: 0.1 }))
    b.apply(f(5, 'position', { barTimeMs: 120_000, qtyBase: 2, entryPrice: 100, cash: 800 }))
    b.apply(f(6, 'equity', { barTimeMs: 120_000, equity: 1000, cash: 800, qtyBase: 2, close: 100 }))
    b.apply(f(8, 'order_rejected', { barTimeMs: 180_000, orderId: null, side: 'buy', reason: 'insufficient-cash' }))
    b.apply(f(9, 'halt', { reason: 'max drawdown' }))
    b.apply(f(10, 'status', { status: 'halted', haltReason: 'max drawdown' }))
    const v = b.view()
    expect(v.status).toBe('halted')
    expect(v.haltReason).toBe('max drawdown')
    expect(v.openOrders).toEqual([])
    expect(v.orders[0]).toMatchObject({ id: 'o1', state: 'filled', filledQty: 2 })
    expect(v.fills).toHaveLength(1)
    expect(v.position).toEqual({ qtyBase: 2, entryPrice: 100, cash: 800 })
    expect(v.last).toMatchObject({ timeMs: 120_000, equity: 1000, close: 100 })
    expect(v.notices.map((n) => n.kind)).toEqual(['halt', 'rejected'])
    expect(v.seqRanges).toBe('1-6,8-10')
    expect(v.events[0]!.text).toBe('status halted: max drawdown')
    expect(rangesOf([1, 3, 4, 5, 9])).toBe('1,3-5,9')
  })

  it("the journal seed and the events agree (idempotent), and an order's state never goes back", () => {
    const b = new RunBook('r1')
    b.seedActivity({
      runId: 'r1',
      promotionId: 1,
      mode: 'paper',
      timeframe: '1m',
      startBarMs: 60_000,
      orders: [
        {
          id: 'o1',
          kind: 'place',
          state: 'filled',
          barTimeMs: 60_000,
          bookedBarMs: null,
          venueUuid: null,
          intent: { side: 'buy', type: 'market', quoteAmount: 1000 },
        },
      ],
      fills: [
        { tradeUuid: 'o1:paper', orderId: 'o1', side: 'buy', price: 100, volume: 9.9, feeQuote: 0.5, timeMs: 120_000, source: 'paper' },
      ],
      equity: [{ timeMs: 120_000, equityQuote: 999, cashQuote: 0, positionBase: 9.9 }],
    })
    // The stream replays what the journal already holds.
    b.apply(
      f(3, 'order_submitted', {
        barTimeMs: 60_000,
        orderId: 'o1',
        side: 'buy',
        type: 'market',
        price: null,
        qtyBase: null,
        quoteAmount: 1000,
      }),
    )
    b.apply(f(4, 'fill', { barTimeMs: 120_000, orderId: 'o1', side: 'buy', price: 100, qtyBase: 9.9, feeQuote: 0.5 }))
    b.apply(f(5, 'equity', { barTimeMs: 120_000, equity: 999, cash: 0, qtyBase: 9.9, close: 101 }))
    const v = b.view()
    expect(v.fills).toHaveLength(1)
    expect(v.orders).toHaveLength(1)
    expect(v.orders[0]!.state).toBe('filled')
    expect(v.orders[0]!.filledQty).toBe(9.9)
    expect(v.equity).toHaveLength(1)
    expect(v.last!.close).toBe(101)
  })

  it('live fills: partial until the volume is reached or the booking names the order', () => {
    const b = new RunBook('r1')
    b.apply(
      f(1, 'order_submitted', { orderId: 'o1', side: 'sell', type: 'limit', price: 100, qtyBase: 2, quoteAmount: null, barTimeMs: 0 }),
    )
    b.apply(f(2, 'order_accepted', { orderId: 'o1', uuid: 'u', resolvedBy: 'response' }))
    b.apply(f(3, 'fill', { orderId: 'o1', side: 'sell', price: 100, qtyBase: 1, feeQuote: 0, tradeUuid: 't1', source: 'ws', barTimeMs: 0 }))
    expect(b.view().orders[0]!.state).toBe('partial')
    b.apply(
      f(4, 'fill', { orderId: 'o1', side: 'sell', price: 100, qtyBase: 1, feeQuote: 0, tradeUuid: 't1', source: 'rest', barTimeMs: 0 }),
    )
    expect(b.view().fills).toHaveLength(1)
    b.apply(f(5, 'fill', { orderId: 'o1', side: 'sell', price: 100, qtyBase: 1, feeQuote: 0, tradeUuid: 't2', source: 'ws', barTimeMs: 0 }))
    expect(b.view().orders[0]!.state).toBe('filled')
    expect(b.view().openOrders).toEqual([])
  })
})

// A paper run's journal as edge would write it for `series` from `startIdx` on: the backtest's own
// fills (paper = backtest, tested in edge), orders, one equity mark per bar.
const tf = TIMEFRAME_MS['1m']
const series = randomWalk(21, 900)
const exec = { ...DEFAULT_EXEC_CONFIG, orderType: 'market' as const }
const config: Promotion['config'] = {
  strategy: { id: 'momentum', version: findStrategy('momentum')!.version },
  params: { period: 3 },
  market: 'KRW-BTC',
  timeframe: '1m',
  exec,
  risk: { maxPositionQuote: 1e12, dailyLossLimitRate: 1, maxDrawdownRate: 1 },
  backtest: { range: { source: 'sim', fromMs: 0, toMs: 1, bars: 1 }, metrics: {} },
}
const plan = planShadow(config)
if (!plan.ok) throw new Error('plan')
const startIdx = plan.warmupBars
const cutSeries = (lastIdx: number): typeof series => ({
  time: series.time.slice(0, lastIdx + 1),
  open: series.open.slice(0, lastIdx + 1),
  high: series.high.slice(0, lastIdx + 1),
  low: series.low.slice(0, lastIdx + 1),
  close: series.close.slice(0, lastIdx + 1),
  volume: series.volume.slice(0, lastIdx + 1),
})
function paperActivity(lastIdx: number, strategyId = 'momentum', params: Record<string, number> = { period: 3 }): RunActivity {
  const cut = cutSeries(lastIdx)
  const sig = findStrategy(strategyId)!.signals(cut, params)
  const bt = runBacktest(cut, sig, exec, { fromBar: startIdx })
  const fills = backtestFills(bt).map((x, i) => ({
    tradeUuid: `o${i}:paper`,
    orderId: `o${i}`,
    side: x.side,
    price: x.price,
    volume: x.volume,
    feeQuote: x.feeQuote,
    timeMs: x.timeMs,
    source: 'paper',
  }))
  return {
    runId: 'r1',
    promotionId: 1,
    mode: 'paper',
    timeframe: '1m',
    startBarMs: series.time[startIdx]!,
    orders: fills.map((x) => ({
      id: x.orderId,
      kind: 'place' as const,
      state: 'filled',
      barTimeMs: x.timeMs - tf,
      bookedBarMs: null,
      venueUuid: null,
      intent: { side: x.side },
    })),
    fills,
    equity: Array.from(bt.equity, (e, i) => ({ timeMs: series.time[startIdx + i]!, equityQuote: e, cashQuote: 0, positionBase: 0 })),
  }
}

describe('shadow comparison', () => {
  it('edge warm-up: max(300, 3 × the strategy warm-up) bars before the first decided bar', () => {
    expect(plan.warmupBars).toBe(MIN_WARMUP_BARS)
    const a = paperActivity(800)
    expect(runRange(a, plan)).toEqual([series.time[startIdx]! - MIN_WARMUP_BARS * tf, series.time[800]! + tf])
  })

  it('a paper run that did what the backtest does has no divergence', () => {
    const a = paperActivity(800)
    expect(a.fills.length).toBeGreaterThan(10)
    const r = computeShadow(plan, config, a, cutSeries(800))
    expect(r.report.divergences).toEqual([])
    expect(r.report.matched).toBe(a.fills.length)
    expect(r.maxEquityGap).toBe(0)
    expect(r.pairs.every((p) => p.backtest !== null && p.run !== null && p.divergence === null)).toBe(true)
    expect(r.decidedBars).toBe(800 - startIdx + 1)
    expect(r.warmupBars).toBe(startIdx)
  })

  it('names every divergence with its bar and cause: a missed fill, a fill at another price, an extra fill, a rejected order', () => {
    const a = paperActivity(800)
    const cut = cutSeries(800)
    const fills = [...a.fills]
    const missed = fills.splice(2, 1)[0]!
    fills[4] = { ...fills[4]!, price: fills[4]!.price * 1.001 }
    // An extra buy at a bar where the backtest has no buy.
    const free = series.time.slice(startIdx).find((t) => !a.fills.some((x) => x.side === 'buy' && x.timeMs === t))!
    fills.push({ ...a.fills.find((x) => x.side === 'buy')!, tradeUuid: 'x:paper', orderId: 'x', timeMs: free })
    const orders = a.orders.map((o) => (o.id === missed.orderId ? { ...o, state: 'rejected' } : o))
    const r = computeShadow(plan, config, { ...a, fills, orders }, cut)
    const kinds = r.report.divergences.map((d) => d.kind).sort()
    expect(kinds).toEqual(['extra', 'price', 'rejected'].sort())
    const rej = r.report.divergences.find((d) => d.kind === 'rejected')!
    expect(rej.barTimeMs).toBe(missed.timeMs)
    expect(rej.cause).toContain(missed.orderId)
    expect(r.report.divergences.find((d) => d.kind === 'price')!.cause).toMatch(/10\.0 bps worse|10\.0 bps better/)
    expect(r.pairs.filter((p) => p.divergence !== null)).toHaveLength(3)
  })

  it("a user strategy is planned from its sandbox's warm-up, not from the registry", () => {
    const userConfig = { ...config, strategy: { id: 'user.rsi-cross', version: 1, sourceHash: 'ab' } }
    const p = planShadow(userConfig)
    expect(p.ok).toBe(false)
    if (!p.ok) expect(p.reason).toBe('user-strategy')
    expect(planUserShadow(userConfig, 4)).toMatchObject({ ok: true, def: null, warmupBars: MIN_WARMUP_BARS })
    expect(planUserShadow(userConfig, 200)).toMatchObject({ ok: true, warmupBars: 600 })
    expect(planUserShadow(userConfig, 5_000)).toMatchObject({ ok: true, warmupBars: 2_000 })
    expect(() =>
      computeShadow(planUserShadow(userConfig, 4) as Extract<ShadowPlan, { ok: true }>, userConfig, paperActivity(800), cutSeries(800)),
    ).toThrow(/signals of its sandbox/)
  })
})

function view(patch: Partial<RunView> = {}): RunView {
  return {
    id: 'r1',
    promotionId: 1,
    venue: 'sim',
    mode: 'paper',
    market: 'KRW-BTC',
    status: 'running',
    haltReason: null,
    startBarMs: series.time[startIdx]!,
    createdAtMs: 0,
    updatedAtMs: 0,
    timeframe: '1m',
    position: { qtyBase: 0, entryPrice: 0, entryBarTimeMs: null, cashQuote: 1_000_000 },
    pendingOrder: null,
    equity: 1_000_000,
    lastDecision: null,
    lastError: null,
    openOrders: [],
    lastCancel: null,
    ...patch,
  }
}

function fakeApi(activity: () => RunActivity, promo: Promotion['config'] = config): LiveApi & { calls: string[] } {
  const calls: string[] = []
  let status: RunView['status'] = 'running'
  return {
    calls,
    promotions: async () => [],
    promotion: async (id) => ({
      id,
      version: 1,
      strategy: promo.strategy,
      market: 'KRW-BTC',
      timeframe: '1m',
      hash: 'h',
      createdAtMs: 0,
      retired: false,
      config: promo,
    }),
    venues: async () => [{ id: 'sim', keys: true }],
    startRun: async () => view(),
    run: async () => (calls.push('run'), view({ status })),
    activity: async () => (calls.push('activity'), activity()),
    stop: async () => (calls.push('stop'), (status = 'stopped'), view({ status })),
    kill: async () => (calls.push('kill'), (status = 'halted'), view({ status, haltReason: 'killed' })),
    killAll: async () => [],
    promotionSource: async () => {
      calls.push('source')
      const source = promo.strategy.id === 'user.rsi-as-builtin' ? RSI_AS_BUILTIN : ''
      return { hash: await sha256Hex(source), strategyId: promo.strategy.id, version: 1, source }
    },
  }
}

/** The test series' bars in [from, to), as edge's candle proxy would bring them. */
function barsIn(from: number, to: number): typeof series {
  const i = series.time.findIndex((t) => t >= from)
  const j = series.time.findIndex((t) => t >= to)
  const end = j < 0 ? undefined : j
  return {
    time: series.time.slice(i, end),
    open: series.open.slice(i, end),
    high: series.high.slice(i, end),
    low: series.low.slice(i, end),
    close: series.close.slice(i, end),
    volume: series.volume.slice(i, end),
  }
}

function memo(): SeqMemo & { m: Map<string, number> } {
  const m = new Map<string, number>()
  return { m, get: (k) => m.get(k), set: (k, v) => void m.set(k, v) }
}

describe('run follower', () => {
  it('attaches (view, activity, promotion), follows the stream, remembers where the run starts, and compares', async () => {
    let lastIdx = 700
    const api = fakeApi(() => paperActivity(lastIdx))
    const seq = memo()
    const fromSeqs: number[] = []
    const fol = new RunFollower('r1', {
      api,
      stream: (from) => (fromSeqs.push(from), stream(from)),
      candles: async (_k, from, to) => barsIn(from, to),
      seqMemo: seq,
      shadowDelayMs: 5,
      renderDelayMs: 1,
    })
    expect(fromSeqs).toEqual([0])
    await fol.attach()
    expect(fol.promotion?.id).toBe(1)
    expect(fol.book.fills.length).toBe(paperActivity(700).fills.length)
    await vi.waitFor(() => expect(fol.shadowStatus.kind).toBe('ready'))
    expect(fol.shadow!.report.divergences).toEqual([])
    expect(fol.shadow!.lastBarMs).toBe(series.time[700])
    // The stream: another run's events are skipped; this run's first event fixes the memo.
    last().open()
    last().frame({ seq: 40, runId: 'other' })
    last().frame({ seq: 41, kind: 'equity', barTimeMs: series.time[701], equity: 1, cash: 1, qtyBase: 0, close: 1 })
    expect(seq.m.get('r1')).toBe(40)
    lastIdx = 760
    last().frame({ seq: 42, kind: 'fill', orderId: 'zz', side: 'buy', price: 1, qtyBase: 1, feeQuote: 0, barTimeMs: series.time[702] })
    last().live(42)
    await vi.waitFor(() => expect(fol.book.eventCount).toBe(2))
    expect(fol.book.seqRanges).toBe('41-42')
    // New activity: the comparison follows (through bar 760 now).
    await vi.waitFor(() => expect(fol.shadow!.lastBarMs).toBe(series.time[760]))
    // Caught up: the view is fetched again.
    expect(api.calls.filter((c) => c === 'run').length).toBeGreaterThanOrEqual(2)
    // A follower made after a reload resumes after the remembered seq.
    const again = new RunFollower('r1', {
      api,
      stream: (from) => (fromSeqs.push(from), stream(from)),
      candles: async () => series,
      seqMemo: seq,
    })
    expect(fromSeqs.at(-1)).toBe(40)
    again.dispose()
    await fol.kill()
    expect(fol.book.status).toBe('halted')
    expect(fol.book.haltReason).toBe('killed')
    fol.dispose()
    expect(last().closed).not.toBeNull()
  })

  it('a user strategy: its promoted source replays in the sandbox and agrees with a paper run of the same rule', async () => {
    const params = { period: 3, oversold: 40, overbought: 60 }
    const hash = await sha256Hex(RSI_AS_BUILTIN)
    const userConfig = { ...config, strategy: { id: 'user.rsi-as-builtin', version: 1, sourceHash: hash }, params }
    // The paper run's journal of the built-in rsi: the user source states the same rule, bit for bit.
    const api = fakeApi(() => paperActivity(800, 'rsi', params), userConfig)
    const plainEvaluate: Evaluate = (code, globals) => new Function(...Object.keys(globals), `return ${code}`)(...Object.values(globals))
    const fol = new RunFollower('r1', {
      api,
      stream: (from) => stream(from),
      candles: async (_k, from, to) => barsIn(from, to),
      seqMemo: memo(),
      shadowDelayMs: 1,
      userSignals: inProcessUserSignals(createUserSignalsCore(plainEvaluate)),
    })
    await fol.attach()
    await vi.waitFor(() => expect(fol.shadowStatus.kind).toBe('ready'))
    expect(fol.shadow!.report.matched).toBe(paperActivity(800, 'rsi', params).fills.length)
    expect(fol.shadow!.report.matched).toBeGreaterThan(5)
    expect(fol.shadow!.report.divergences).toEqual([])
    expect(fol.shadow!.maxEquityGap).toBe(0)
    // The source is fetched once and checked against the promotion's hash.
    fol.scheduleShadow(0)
    await vi.waitFor(() => expect(api.calls.filter((c) => c === 'activity').length).toBeGreaterThanOrEqual(3))
    expect(api.calls.filter((c) => c === 'source')).toHaveLength(1)
    fol.dispose()

    // A source that is not the promotion's is refused, plainly.
    const other = new RunFollower('r1', {
      api: fakeApi(() => paperActivity(800, 'rsi', params), {
        ...userConfig,
        strategy: { ...userConfig.strategy, sourceHash: 'f'.repeat(64) },
      }),
      stream: (from) => stream(from),
      candles: async () => series,
      seqMemo: memo(),
      shadowDelayMs: 1,
      userSignals: inProcessUserSignals(createUserSignalsCore(plainEvaluate)),
    })
    await other.attach()
    await vi.waitFor(() =>
      expect(other.shadowStatus).toMatchObject({ kind: 'error', message: expect.stringMatching(/not the promotion's/) }),
    )
    other.dispose()
  })

  it('a user strategy: the comparison says why it is not there; a failing action shows its error', async () => {
    const api = fakeApi(() => paperActivity(700), { ...config, strategy: { id: 'user.x', version: 1, sourceHash: 'h' } })
    api.stop = async () => {
      throw new Error('edge is down')
    }
    const fol = new RunFollower('r1', {
      api,
      stream: (from) => stream(from),
      candles: async () => series,
      seqMemo: memo(),
      shadowDelayMs: 1,
    })
    await fol.attach()
    await vi.waitFor(() => expect(fol.shadowStatus.kind).toBe('unsupported'))
    await fol.stop()
    expect(fol.actionError).toBe('edge is down')
    fol.dispose()
  })
})
