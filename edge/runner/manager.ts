// The runs of one edge: start paper and live runs from promotions, list and read them, stop and
// kill them (one or all), and pick the active ones up again after a restart. One RunLoop per
// running run; halted and stopped runs are read from the journal (their status and reason persist
// there). Live runs share one private WebSocket per venue (myOrder), whose trades go to the run
// that owns the order's identifier; after a reconnect every live run asks the venue over REST.
import { randomBytes } from 'node:crypto'
import { compileExecConfig } from '../../shared/engine/params.ts'
import { UPBIT_KRW_RULES } from '../../shared/upbit/venue-rules.ts'
import type { Journal, RunRow } from '../journal/index.ts'
import type { PromotionConfig } from '../promotions/index.ts'
import type { Logger } from '../server/logger.ts'
import type { VenueId, Venues } from '../server/venues.ts'
import { followClock } from './clock.ts'
import type { EventLog } from './event-log.ts'
import { venueFeed, type CandleFeed } from './feed.ts'
import { PaperRun, type LastDecision, type PendingView, type PositionView } from './paper-run.ts'
import { RunLoop } from './runner.ts'
import { LiveRun } from './live-run.ts'
import { RiskGuard } from './risk.ts'
import { TIMEFRAME_MS } from '../../shared/candles/index.ts'
import type { PrivateStreams } from './private-stream.ts'
import { signalsFor, type SignalsProvider } from './signals.ts'

/** Warm-up bars loaded before the first decision: enough for every registered strategy's warm-up. */
const MIN_WARMUP_BARS = 300
const MAX_WARMUP_BARS = 2_000

export interface RunView extends RunRow {
  readonly timeframe: string
  readonly position: PositionView | null
  readonly pendingOrder: PendingView | null
  readonly equity: number | null
  readonly lastDecision: LastDecision | null
  readonly lastError: string | null
  /** Live: the run's orders the venue may still hold. */
  readonly openOrders: readonly string[]
  /** Live: the last kill/stop at the venue (orders cancelled, orders still open). */
  readonly lastCancel: { readonly cancelled: number; readonly stillOpen: readonly string[] } | null
}

export interface RunActivity {
  readonly runId: string
  readonly promotionId: number
  readonly mode: 'paper' | 'live'
  readonly timeframe: string
  readonly startBarMs: number | null
  readonly orders: ReadonlyArray<{
    readonly id: string
    readonly kind: 'place' | 'cancel'
    readonly state: string
    readonly barTimeMs: number
    readonly bookedBarMs: number | null
    readonly venueUuid: string | null
    readonly intent: unknown
  }>
  readonly fills: ReadonlyArray<{
    readonly tradeUuid: string
    readonly orderId: string
    readonly side: 'buy' | 'sell'
    readonly price: number
    readonly volume: number
    readonly feeQuote: number
    readonly timeMs: number
    readonly source: string
  }>
  readonly equity: ReadonlyArray<{
    readonly timeMs: number
    readonly equityQuote: number
    readonly cashQuote: number
    readonly positionBase: number
  }>
}

export type StartRunError =
  | { readonly kind: 'not_found'; readonly message: string }
  | { readonly kind: 'retired'; readonly message: string }
  | { readonly kind: 'unavailable'; readonly message: string }
  | { readonly kind: 'no_keys'; readonly message: string }
  | { readonly kind: 'confirm'; readonly message: string }
  | { readonly kind: 'live_conflict'; readonly message: string }

export interface RunManagerDeps {
  readonly journal: Journal
  readonly venues: Venues
  readonly events: EventLog
  readonly logger: Logger
  readonly nowMs?: () => number
  /** Test seam: the feed of a run (default: the venue's REST candles). */
  readonly feedFor?: (venue: VenueId, config: PromotionConfig) => CandleFeed
  readonly staleBars?: number
  /** Private WebSockets of the venues (live runs); none: fills are found by REST lookups only. */
  readonly privateStreams?: PrivateStreams
  readonly sleep?: (ms: number) => Promise<void>
  /** Live: delays of the lookups that follow a market order until it ends (tests shorten them). */
  readonly followDelaysMs?: readonly number[]
  /** Crash trials: named points of a live run (edge/main.ts EDGE_CRASH_AT). */
  readonly crashPoint?: (point: string) => void
}

export class RunManager {
  private readonly runners = new Map<string, RunLoop>()
  private readonly runs = new Map<string, PaperRun | LiveRun>()
  private readonly providers = new Map<string, SignalsProvider>()
  private readonly now: () => number

  constructor(private readonly d: RunManagerDeps) {
    this.now = d.nowMs ?? Date.now
  }

  /**
   * Creates and starts a run; the journal refuses a retired promotion and a second live run on a
   * market. Live needs the venue's keys and `confirm` equal to the market's name.
   */
  async start(
    promotionId: number,
    venue: VenueId,
    mode: 'paper' | 'live' = 'paper',
    confirm?: string,
  ): Promise<{ ok: true; run: RunView } | { ok: false; error: StartRunError }> {
    const promo = this.d.journal.promotions.get(promotionId)
    if (promo === undefined) return { ok: false, error: { kind: 'not_found', message: `no promotion ${promotionId}` } }
    if (promo.retiredAtMs !== null)
      return { ok: false, error: { kind: 'retired', message: `promotion ${promotionId} is retired: it cannot be started` } }
    const config = JSON.parse(promo.configJson) as PromotionConfig
    const v = this.d.venues.get(venue)
    if (v === undefined) return { ok: false, error: { kind: 'unavailable', message: `no venue ${venue}` } }
    if (mode === 'live') {
      if (!v.hasKeys)
        return { ok: false, error: { kind: 'no_keys', message: `edge holds no API keys for ${venue}: live runs need them (.env)` } }
      if (confirm !== config.market)
        return {
          ok: false,
          error: { kind: 'confirm', message: `a live run trades real funds: type the market name (${config.market}) to confirm` },
        }
    }
    const id = `${mode === 'live' ? 'l' : 'p'}${this.now().toString(36)}_${randomBytes(4).toString('hex')}`
    try {
      this.d.journal.runs.createRun({ id, promotionId, venue, mode, market: config.market }, this.now())
    } catch (e) {
      // The trigger (a promotion retired between the read and the insert) is the last word.
      if (e instanceof Error && /retired/.test(e.message)) return { ok: false, error: { kind: 'retired', message: e.message } }
      if (e instanceof Error && /UNIQUE/.test(e.message))
        return { ok: false, error: { kind: 'live_conflict', message: `a live run on ${config.market} is already active: stop it first` } }
      throw e
    }
    let runner: RunLoop
    try {
      runner = await this.runnerFor(this.d.journal.runs.getRun(id)!, config)
    } catch (e) {
      this.persistOnly(id, 'halted', `start failed: ${e instanceof Error ? e.message : String(e)}`)
      return { ok: true, run: this.view(id)! }
    }
    await runner.start()
    return { ok: true, run: this.view(id)! }
  }

  /** After a restart: every run that was running is rebuilt and continues; halted ones stay halted. */
  async resumeActive(): Promise<void> {
    for (const row of this.d.journal.runs.activeRuns()) {
      if (row.status === 'halted') continue
      try {
        const promo = this.d.journal.promotions.get(row.promotionId)!
        const runner = await this.runnerFor(row, JSON.parse(promo.configJson) as PromotionConfig)
        if (row.startBarMs === null) await runner.start()
        else await runner.resume(row.startBarMs)
      } catch (e) {
        // One run that cannot be rebuilt must not keep edge (and the other runs) down.
        this.persistOnly(row.id, 'halted', `restart failed: ${e instanceof Error ? e.message : String(e)}`)
      }
    }
  }

  /**
   * What the run did, from the journal (orders with their outcome and booking bar, fills, equity
   * marks), from bar or fill time `fromMs` on: the lab's live cell reloads and compares with it.
   */
  activity(id: string, fromMs = 0): RunActivity | undefined {
    const row = this.d.journal.runs.getRun(id)
    if (row === undefined) return undefined
    const promo = this.d.journal.promotions.get(row.promotionId)!
    return {
      runId: id,
      promotionId: row.promotionId,
      mode: row.mode,
      timeframe: promo.timeframe,
      startBarMs: row.startBarMs,
      orders: this.d.journal.orders
        .ordersOfRun(id)
        .filter((o) => o.barTimeMs >= fromMs)
        .map((o) => ({
          id: o.id,
          kind: o.kind,
          state: o.state,
          barTimeMs: o.barTimeMs,
          bookedBarMs: o.bookedBarMs,
          venueUuid: o.venueUuid,
          intent: JSON.parse(o.intentJson) as unknown,
        })),
      fills: this.d.journal.fills
        .fillsOfRun(id)
        .filter((f) => f.timeMs >= fromMs)
        .map(({ tradeUuid, orderId, side, price, volume, feeQuote, timeMs, source }) => ({
          tradeUuid,
          orderId,
          side,
          price,
          volume,
          feeQuote,
          timeMs,
          source,
        })),
      equity: this.d.journal.equity
        .pointsOf(id)
        .filter((p) => p.timeMs >= fromMs)
        .map(({ timeMs, equityQuote, cashQuote, positionBase }) => ({ timeMs, equityQuote, cashQuote, positionBase })),
    }
  }

  list(): RunView[] {
    return this.d.journal.runs.listRuns().map((r) => this.view(r.id)!)
  }

  view(id: string): RunView | undefined {
    const row = this.d.journal.runs.getRun(id)
    if (row === undefined) return undefined
    const promo = this.d.journal.promotions.get(row.promotionId)!
    const run = this.runs.get(id)
    const runner = this.runners.get(id)
    const last = this.d.journal.equity.lastPoint(id)
    return {
      ...row,
      timeframe: promo.timeframe,
      position: run
        ? run.position()
        : last
          ? { qtyBase: last.positionBase, entryPrice: 0, entryBarTimeMs: null, cashQuote: last.cashQuote }
          : null,
      pendingOrder: run ? run.pending() : null,
      equity: last ? last.equityQuote : null,
      lastDecision: run ? run.lastDecision : null,
      lastError: runner ? runner.error : null,
      openOrders: run instanceof LiveRun ? run.openOrders() : [],
      lastCancel: runner ? runner.lastCancel : null,
    }
  }

  async stop(id: string): Promise<RunView | undefined> {
    const runner = this.runners.get(id)
    const row = this.d.journal.runs.getRun(id)
    if (row === undefined) return undefined
    if (runner) await runner.stop()
    else if (row.status !== 'stopped') this.persistOnly(id, 'stopped', null)
    this.release(id)
    return this.view(id)
  }

  async kill(id: string, reason = 'killed'): Promise<RunView | undefined> {
    const runner = this.runners.get(id)
    if (runner) await runner.kill(reason)
    else {
      const row = this.d.journal.runs.getRun(id)
      if (row !== undefined && row.status !== 'stopped' && row.status !== 'halted') this.persistOnly(id, 'halted', reason)
    }
    return this.view(id)
  }

  /** The kill switch for everything: every run that is not stopped ends halted (all at once). */
  async killAll(): Promise<RunView[]> {
    await Promise.all(this.d.journal.runs.activeRuns().map((row) => this.kill(row.id, 'kill switch')))
    return this.list()
  }

  /** Edge shutting down: timers off, statuses untouched (a restart resumes them). */
  dispose(): void {
    for (const r of this.runners.values()) r.dispose()
    for (const p of this.providers.values()) void p.close()
  }

  /** A stopped run no longer hears the venue's order events, and its strategy sandbox ends. */
  private release(id: string): void {
    const run = this.runs.get(id)
    if (run instanceof LiveRun) this.d.privateStreams?.unsubscribe(id)
    void this.providers.get(id)?.close()
    this.providers.delete(id)
  }

  private persistOnly(id: string, status: 'stopped' | 'halted', reason: string | null): void {
    const now = this.now()
    this.d.journal.runs.setStatus(id, status, reason, now)
    this.d.events.append('status', id, now, { status, haltReason: reason })
  }

  private async runnerFor(row: RunRow, config: PromotionConfig): Promise<RunLoop> {
    const provider = await signalsFor(config, this.d.journal)
    this.providers.set(row.id, provider)
    const venue = this.d.venues.get(row.venue)!
    const params = compileExecConfig(config.exec, UPBIT_KRW_RULES)
    const risk = new RiskGuard(config.risk, config.exec.initialCash)
    const timeframeMs = TIMEFRAME_MS[config.timeframe]
    const sleep = this.d.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)))
    let live: LiveRun | undefined
    let run: PaperRun | LiveRun
    if (row.mode === 'live') {
      live = new LiveRun({
        runId: row.id,
        market: config.market,
        timeframeMs,
        params,
        signals: provider.signals,
        journal: this.d.journal,
        events: this.d.events,
        venue: venue.client,
        risk,
        nowMs: this.now,
        venueNowMs: venue.nowMs,
        sleep,
        onError: (e) => this.runners.get(row.id)?.venueError(e),
        ...(this.d.followDelaysMs ? { followDelaysMs: this.d.followDelaysMs } : {}),
        ...(this.d.crashPoint ? { crashPoint: this.d.crashPoint } : {}),
      })
      run = live
      this.d.privateStreams?.subscribe(row.venue, row.id, live)
    } else {
      run = new PaperRun({
        runId: row.id,
        params,
        signals: provider.signals,
        journal: this.d.journal,
        events: this.d.events,
        nowMs: this.now,
        risk,
        timeframeMs,
      })
    }
    const runner = new RunLoop({
      run,
      ...(live ? { live } : {}),
      sleep,
      timeframe: config.timeframe,
      feed: this.d.feedFor ? this.d.feedFor(row.venue, config) : venueFeed(venue.client, config.market, config.timeframe, venue.nowMs),
      clock: followClock(venue.nowMs),
      journal: this.d.journal,
      events: this.d.events,
      nowMs: this.now,
      onError: (m) => this.d.logger.warn(m),
      warmupBars: Math.min(MAX_WARMUP_BARS, Math.max(MIN_WARMUP_BARS, 3 * provider.warmup)),
      ...(provider.prepare ? { prepare: provider.prepare } : {}),
      ...(this.d.staleBars !== undefined ? { staleBars: this.d.staleBars } : {}),
    })
    this.runs.set(row.id, run)
    this.runners.set(row.id, runner)
    return runner
  }
}
