// The live cell's state for one run: it follows the run through edge's event stream (its own
// EdgeStream, resumed from the last seq after a dropped connection, and after a reload from the
// seq just before the run's first event, remembered in this browser), seeded from the run's view
// and journal activity; it stops or kills the run; and it keeps the shadow comparison up to date
// (the promotion's backtest on the bars the run has seen, beside the run's fills and equity),
// recomputed a moment after new fills or bars, never more often than every couple of seconds.
import type { CandleSeries } from '../../../../shared/candles/index.ts'
import type { EdgeStream, StreamFrame } from '../../../stream/edge-stream.svelte.ts'
import { RunBook, type RunBookView } from './book.ts'
import { sha256Hex } from '../../../strategies/index.ts'
import type { LiveApi, Promotion, PromotionSource, RunActivity, RunView } from './api.ts'
import { computeShadow, isUserPromotion, planShadow, planUserShadow, runRange, type ShadowPlan, type ShadowResult } from './shadow.ts'
import type { UserSignals } from './user-signals.ts'

export interface SeqMemo {
  get(runId: string): number | undefined
  set(runId: string, seq: number): void
}

export interface FollowerDeps {
  readonly api: LiveApi
  /** A stream client that starts after `fromSeq` (not started yet). */
  readonly stream: (fromSeq: number) => EdgeStream
  /** The venue's candles of [fromMs, toMs) through edge's candle proxy and the lab's candle store. */
  readonly candles: (
    key: { venue: string; market: string; timeframe: string },
    fromMs: number,
    toMs: number,
    signal: AbortSignal,
  ) => Promise<CandleSeries>
  readonly seqMemo: SeqMemo
  /**
   * Runs a user strategy's promoted source in a sandbox for the shadow comparison (the lab's: a
   * module worker with SES). Absent: a user strategy's comparison says it cannot be replayed here.
   */
  readonly userSignals?: UserSignals
  /** Wait before a shadow recomputation after new activity (default 1,500 ms). */
  readonly shadowDelayMs?: number
  /** Wait between two renders of a burst of events (default 120 ms). */
  readonly renderDelayMs?: number
  readonly now?: () => number
}

export type ShadowStatus =
  | { readonly kind: 'idle' }
  | { readonly kind: 'unsupported'; readonly message: string }
  | { readonly kind: 'waiting'; readonly message: string }
  | { readonly kind: 'loading' }
  | { readonly kind: 'ready' }
  | { readonly kind: 'error'; readonly message: string }

/** localStorage: per run, the seq after which its events start (so a reload replays only those). */
export function localSeqMemo(storage: Pick<Storage, 'getItem' | 'setItem'> = window.localStorage): SeqMemo {
  const key = (runId: string): string => `lab-live-seq:${runId}`
  return {
    get: (runId) => {
      const v = Number(storage.getItem(key(runId)) ?? NaN)
      return Number.isSafeInteger(v) && v >= 0 ? v : undefined
    },
    set: (runId, seq) => {
      try {
        storage.setItem(key(runId), String(seq))
      } catch {
        // storage full or refused: the next reload replays from the start of the journal
      }
    },
  }
}

export class RunFollower {
  /** What the stream and the journal say about the run (re-rendered after each burst of events). */
  book = $state.raw<RunBookView>(new RunBook('').view())
  /** Edge's view of the run, as last fetched. */
  runView = $state.raw<RunView | null>(null)
  promotion = $state.raw<Promotion | null>(null)
  shadowStatus = $state.raw<ShadowStatus>({ kind: 'idle' })
  /** The last comparison computed (kept on screen while the next one loads). */
  shadow = $state.raw<ShadowResult | null>(null)
  /** An action on the run in flight. */
  busy = $state<'stop' | 'kill' | 'kill-all' | null>(null)
  actionError = $state<string | null>(null)
  readonly stream: EdgeStream

  private readonly bookState: RunBook
  private renderTimer: ReturnType<typeof setTimeout> | null = null
  private shadowTimer: ReturnType<typeof setTimeout> | null = null
  private shadowRunning = false
  private shadowAgain = false
  private shadowAbort: AbortController | null = null
  private source: { promotionId: number; value: PromotionSource } | null = null
  private lastActivity: RunActivity | null = null
  private disposed = false
  private memoSet: boolean
  private unsubscribe: () => void
  private unLive: () => void

  constructor(
    readonly runId: string,
    private readonly deps: FollowerDeps,
  ) {
    this.bookState = new RunBook(runId)
    this.book = this.bookState.view()
    const from = deps.seqMemo.get(runId)
    this.memoSet = from !== undefined
    this.stream = deps.stream(from ?? 0)
    this.unsubscribe = this.stream.subscribe((f) => this.onFrame(f))
    // Caught up with the journal: edge's own view has the last word on status and position.
    this.unLive = this.stream.onLive(() => void this.refreshView())
  }

  /** Fetches the run, its journal activity and its promotion, then follows the stream. */
  async attach(): Promise<void> {
    const view = await this.deps.api.run(this.runId)
    this.runView = view
    this.bookState.seedView(view)
    if (this.promotion?.id !== view.promotionId) this.promotion = await this.deps.api.promotion(view.promotionId)
    const activity = await this.deps.api.activity(this.runId)
    this.lastActivity = activity
    this.bookState.seedActivity(activity)
    this.render()
    this.stream.start()
    this.scheduleShadow(0)
  }

  /** Keeps the stream open (the cell is on screen). */
  resume(): void {
    if (!this.disposed) this.stream.start()
  }

  /** Closes the stream (the cell left the screen); resume() continues after the last seq. */
  pause(): void {
    this.stream.stop()
  }

  private onFrame(f: StreamFrame): void {
    if (f.runId !== this.runId) return
    if (!this.memoSet) {
      this.deps.seqMemo.set(this.runId, f.seq - 1)
      this.memoSet = true
    }
    this.bookState.apply(f)
    this.scheduleRender()
    if (f.kind === 'fill' || f.kind === 'equity' || f.kind === 'status' || f.kind === 'order_rejected') this.scheduleShadow()
  }

  private render(): void {
    this.book = this.bookState.view()
  }

  private scheduleRender(): void {
    if (this.renderTimer !== null || this.disposed) return
    this.renderTimer = setTimeout(() => {
      this.renderTimer = null
      this.render()
    }, this.deps.renderDelayMs ?? 120)
  }

  async refreshView(): Promise<void> {
    try {
      const v = await this.deps.api.run(this.runId)
      if (this.disposed) return
      this.runView = v
      this.bookState.seedView(v)
      this.render()
    } catch {
      // the stream keeps the book current; the view is a cross-check
    }
  }

  /** Stop: no more decisions (a live run's open orders are cancelled; the position stays). */
  stop(): Promise<void> {
    return this.act('stop', () => this.deps.api.stop(this.runId))
  }

  /** Kill switch for this run: halted at once, every open order cancelled. */
  kill(): Promise<void> {
    return this.act('kill', () => this.deps.api.kill(this.runId))
  }

  /** Kill switch for every run edge has. */
  killAll(): Promise<void> {
    return this.act('kill-all', async () => {
      const all = await this.deps.api.killAll()
      return all.find((r) => r.id === this.runId) ?? (await this.deps.api.run(this.runId))
    })
  }

  private async act(what: 'stop' | 'kill' | 'kill-all', call: () => Promise<RunView>): Promise<void> {
    this.busy = what
    this.actionError = null
    try {
      const v = await call()
      this.runView = v
      this.bookState.seedView(v)
      this.render()
      this.scheduleShadow(0)
    } catch (e) {
      this.actionError = e instanceof Error ? e.message : String(e)
    } finally {
      this.busy = null
    }
  }

  /** Recomputes the shadow comparison after `delayMs` (coalesced; one at a time). */
  scheduleShadow(delayMs = this.deps.shadowDelayMs ?? 1_500): void {
    if (this.disposed) return
    if (this.shadowRunning) {
      this.shadowAgain = true
      return
    }
    if (this.shadowTimer !== null) {
      if (delayMs > 0) return
      clearTimeout(this.shadowTimer)
    }
    this.shadowTimer = setTimeout(() => {
      this.shadowTimer = null
      void this.refreshShadow()
    }, delayMs)
  }

  async refreshShadow(): Promise<void> {
    const promo = this.promotion
    const view = this.runView
    if (promo === null || view === null || this.disposed) return
    const user = isUserPromotion(promo.config)
    const us = this.deps.userSignals
    if (user && us === undefined) {
      this.shadowStatus = {
        kind: 'unsupported',
        message: `${promo.config.strategy.id} is a user strategy, and this lab has no sandbox to replay it in.`,
      }
      return
    }
    let plan: ShadowPlan | null = user ? null : planShadow(promo.config)
    if (plan !== null && !plan.ok) {
      this.shadowStatus = { kind: 'unsupported', message: plan.message }
      return
    }
    this.shadowRunning = true
    this.shadowAgain = false
    this.shadowAbort = new AbortController()
    const signal = this.shadowAbort.signal
    try {
      let source: PromotionSource | null = null
      if (user) {
        source = await this.userSource(promo)
        plan = planUserShadow(promo.config, await us!.warmup(source.source, promo.config.params, signal))
        if (!plan.ok) {
          this.shadowStatus = { kind: 'unsupported', message: plan.message }
          return
        }
      }
      if (plan === null || !plan.ok) return
      const activity = await this.deps.api.activity(this.runId)
      this.lastActivity = activity
      const range = runRange(activity, plan)
      if (range === null) {
        this.shadowStatus = { kind: 'waiting', message: 'The comparison starts when the run has decided its first bar.' }
        return
      }
      if (this.shadow === null) this.shadowStatus = { kind: 'loading' }
      const series = await this.deps.candles(
        { venue: view.venue, market: promo.market, timeframe: promo.timeframe },
        range[0],
        range[1],
        signal,
      )
      if (this.disposed) return
      const signals = source === null ? undefined : await us!.signals(source.source, series, plan.params, signal)
      if (this.disposed) return
      this.shadow = computeShadow(plan, promo.config, activity, series, signals)
      this.shadowStatus = { kind: 'ready' }
    } catch (e) {
      if (!this.disposed && !signal.aborted) this.shadowStatus = { kind: 'error', message: e instanceof Error ? e.message : String(e) }
    } finally {
      this.shadowRunning = false
      this.shadowAbort = null
      if (this.shadowAgain && !this.disposed) this.scheduleShadow()
    }
  }

  /** The promotion's user source from edge, checked against the hash the promotion names (kept). */
  private async userSource(promo: Promotion): Promise<PromotionSource> {
    if (this.source?.promotionId === promo.id) return this.source.value
    const s = await this.deps.api.promotionSource(promo.id)
    const want = promo.config.strategy.sourceHash
    const got = await sha256Hex(s.source)
    if (got !== s.hash || (want !== undefined && got !== want))
      throw new Error(`edge sent a source whose hash (${got.slice(0, 12)}) is not the promotion's (${(want ?? s.hash).slice(0, 12)})`)
    this.source = { promotionId: promo.id, value: s }
    return s
  }

  /** The journal activity the last comparison used (exports, tests). */
  get activity(): RunActivity | null {
    return this.lastActivity
  }

  dispose(): void {
    this.disposed = true
    this.unsubscribe()
    this.unLive()
    this.stream.stop()
    this.shadowAbort?.abort()
    this.deps.userSignals?.dispose()
    if (this.renderTimer !== null) clearTimeout(this.renderTimer)
    if (this.shadowTimer !== null) clearTimeout(this.shadowTimer)
  }
}
