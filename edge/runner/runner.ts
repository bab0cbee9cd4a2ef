// A run in time, paper or live: at each bar close (on the venue's clock, followed by clock.ts) it
// asks the feed for every closed bar since the last one it holds, appends them to the live series
// and steps them through the run's decisions. A live run also has a venue side: before the step
// it asks the venue about its open orders (sync), after it sends what was decided (flush); after a
// restart it reconciles with the venue before it trades, retrying while the venue errs. Stale data
// (no new closed bar for STALE_BARS intervals) halts the run with the reason; so does anything the
// decisions refuse (RunHalt) or an unexpected error. Status changes are persisted in the journal
// first, then announced as events; a live halt then cancels the run's orders at the venue.
import { TIMEFRAME_MS, type Timeframe } from '../../shared/candles/index.ts'
import type { Journal, RunStatus } from '../journal/index.ts'
import type { ClockFollower } from './clock.ts'
import type { EventLog } from './event-log.ts'
import type { CandleSeries } from '../../shared/candles/types.ts'
import type { CandleFeed } from './feed.ts'
import type { LiveSeries } from './live-series.ts'
import { RunHalt } from './paper-run.ts'

/** The decisions of a run, paper or live: what the loop steps. */
export interface SteppedRun {
  readonly runId: string
  readonly series: LiveSeries
  readonly startBarMs: number
  startAfterWarmup(warmup: CandleSeries): void
  resumeAt(bars: CandleSeries, startBarMs: number, silentThroughMs: number): void
  stepClosedBars(): number
  /** Paper: the pending simulated order goes away on stop and kill. */
  dropPending?(reason: string): void
}

/** A live run's venue side (edge/runner/live-run.ts). */
export interface VenueSide {
  sync(): Promise<void>
  flush(): Promise<void>
  reconcile(): Promise<{ ok: true } | { ok: false; message: string }>
  cancelAll(): Promise<{ cancelled: number; stillOpen: string[] }>
  closeTrading(): void
}

/** Wall delay between reconciliation attempts while the venue errs after a restart. */
const RECONCILE_RETRY_MS = [1_000, 2_000, 5_000, 10_000, 30_000]

/** Bar intervals without a new closed candle after which the run halts (reliability WS-3). */
export const STALE_BARS = 3

export interface RunnerDeps {
  readonly run: SteppedRun
  /** Computes the signals of the series before a step (a user strategy's sandbox is asynchronous). */
  readonly prepare?: (series: CandleSeries) => Promise<void>
  readonly live?: VenueSide
  readonly sleep?: (ms: number) => Promise<void>
  readonly timeframe: Timeframe
  readonly feed: CandleFeed
  readonly clock: ClockFollower
  readonly journal: Journal
  readonly events: EventLog
  /** Wall time for journal rows and events. */
  readonly nowMs: () => number
  readonly onError?: (message: string) => void
  /** Bars to load before the first decided bar on a fresh start. */
  readonly warmupBars: number
  readonly staleBars?: number
}

export class RunLoop {
  private timer: ReturnType<typeof setTimeout> | null = null
  private busy = false
  private statusValue: RunStatus
  private haltReasonValue: string | null
  private lastError: string | null = null
  private startRecorded = false
  private disposed = false
  /** The venue side's last kill/stop report (live). */
  lastCancel: { cancelled: number; stillOpen: string[] } | null = null

  constructor(private readonly d: RunnerDeps) {
    const row = d.journal.runs.getRun(d.run.runId)!
    this.statusValue = row.status
    this.haltReasonValue = row.haltReason
  }

  get status(): RunStatus {
    return this.statusValue
  }

  get haltReason(): string | null {
    return this.haltReasonValue
  }

  get error(): string | null {
    return this.lastError
  }

  private get tfMs(): number {
    return TIMEFRAME_MS[this.d.timeframe]
  }

  /** Fresh start: warm-up history up to the last closed bar, then decide from the next bar on. */
  async start(): Promise<void> {
    const from = Math.floor(this.d.clock.venueNowMs() / this.tfMs) * this.tfMs - this.d.warmupBars * this.tfMs
    const r = await this.d.feed.closedSince(from)
    if (!r.ok) return this.halt(`warm-up candles: ${r.error.message}`)
    this.d.run.startAfterWarmup(r.value)
    this.setStatus('running', null)
    this.schedule()
  }

  /**
   * After a restart: rebuild the run from the venue's history (warm-up, the bars since its first
   * decided bar, replayed silently up to the last journaled one), then continue.
   */
  async resume(startBarMs: number): Promise<void> {
    const last = this.d.journal.equity.lastPoint(this.d.run.runId)
    const r = await this.d.feed.closedSince(startBarMs - this.d.warmupBars * this.tfMs)
    if (!r.ok) return this.halt(`restart: candles for the replay: ${r.error.message}`)
    try {
      this.d.run.resumeAt(r.value, startBarMs, last?.timeMs ?? -Infinity)
      await this.d.prepare?.(this.d.run.series.view())
      this.d.run.stepClosedBars()
    } catch (e) {
      return this.fail(e)
    }
    if (last !== undefined && !(this.d.run.series.lastTimeMs >= last.timeMs)) {
      return this.halt(`restart: the venue's candles do not reach the run's last journaled bar (${new Date(last.timeMs).toISOString()})`)
    }
    this.startRecorded = true
    if (this.d.live && !(await this.reconcileWithRetry())) return
    if (this.statusValue !== 'running') this.setStatus('running', null)
    this.schedule()
  }

  /** Live restart: trading waits (status 'starting', the error visible) until the venue answers. */
  private async reconcileWithRetry(): Promise<boolean> {
    const live = this.d.live!
    const sleep = this.d.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)))
    if (this.statusValue !== 'starting') this.setStatus('starting', null)
    for (let attempt = 0; ; attempt++) {
      if (this.disposed || this.statusValue !== 'starting') return false
      try {
        const r = await live.reconcile()
        if (r.ok) {
          this.lastError = null
          this.d.events.append('status', this.d.run.runId, this.d.nowMs(), { status: 'starting', reconciled: true })
          return true
        }
        this.reportError(r.message)
      } catch (e) {
        this.fail(e)
        return false
      }
      await sleep(RECONCILE_RETRY_MS[Math.min(attempt, RECONCILE_RETRY_MS.length - 1)]!)
    }
  }

  /**
   * Stops deciding; persisted as stopped FIRST. The paper order (if any) is dropped; a live run's
   * open orders are cancelled at the venue (the position stays: selling it is the user's call).
   */
  async stop(): Promise<void> {
    this.clearTimer()
    if (this.statusValue === 'stopped') return
    this.d.live?.closeTrading()
    this.setStatus('stopped', null)
    this.d.run.dropPending?.('stopped')
    if (this.d.live) await this.cancelAtVenue('stop')
  }

  /** Kill switch: persist halted FIRST, then no more orders, then cancel and verify at the venue. */
  async kill(reason = 'killed'): Promise<void> {
    this.clearTimer()
    if (this.statusValue === 'stopped') return
    this.d.live?.closeTrading()
    if (this.statusValue !== 'halted') this.setStatus('halted', reason)
    this.d.run.dropPending?.(reason)
    if (this.d.live) await this.cancelAtVenue(reason)
  }

  private async cancelAtVenue(reason: string): Promise<void> {
    try {
      const r = await this.d.live!.cancelAll()
      this.lastCancel = r
      // Edge shut down meanwhile: the journal is closed; a restart reconciles the orders.
      if (this.disposed) return
      this.d.events.append('status', this.d.run.runId, this.d.nowMs(), {
        status: this.statusValue,
        reason,
        cancelled: r.cancelled,
        stillOpen: r.stillOpen,
      })
      if (r.stillOpen.length > 0) this.reportError(`orders still open at the venue after cancelling: ${r.stillOpen.join(', ')}`)
    } catch (e) {
      if (!this.disposed) this.reportError(`cancelling at the venue: ${e instanceof Error ? e.message : String(e)}`)
    }
  }

  /** Stops the timer only (edge shutting down): the status stays what it is, a restart resumes it. */
  dispose(): void {
    this.disposed = true
    this.clearTimer()
  }

  /** One poll: new closed bars → decisions. Public for tests that drive it by hand. */
  async poll(): Promise<void> {
    if (this.busy || this.statusValue !== 'running') return
    this.busy = true
    try {
      const run = this.d.run
      if (this.d.live) await this.d.live.sync()
      if (this.statusValue !== 'running') return
      const lastMs = run.series.lastTimeMs
      const r = await this.d.feed.closedSince(lastMs + this.tfMs)
      if (this.statusValue !== 'running') return
      if (!r.ok) {
        this.reportError(`feed: ${r.error.message}`)
      } else {
        run.series.append(r.value)
        if (r.value.time.length > 0) await this.d.prepare?.(run.series.view())
        if (this.statusValue !== 'running') return
        run.stepClosedBars()
        if (!this.startRecorded && !Number.isNaN(run.startBarMs)) {
          this.d.journal.runs.setStartBar(run.runId, run.startBarMs, this.d.nowMs())
          this.startRecorded = true
        }
        if (this.d.live) await this.d.live.flush()
      }
      const newest = run.series.lastTimeMs
      // The newest bar closed at newest + tf; stale when STALE_BARS more intervals passed without one.
      const lateBars = (this.d.clock.venueNowMs() - (newest + this.tfMs)) / this.tfMs
      if (lateBars >= (this.d.staleBars ?? STALE_BARS)) {
        this.halt(`stale data: no closed candle since ${new Date(newest).toISOString()} (${Math.floor(lateBars)} bar intervals)`)
      }
    } catch (e) {
      this.fail(e)
    } finally {
      this.busy = false
    }
  }

  private schedule(): void {
    this.clearTimer()
    if (this.statusValue !== 'running') return
    // Wake just after the next bar boundary on the venue's clock.
    const next = (Math.floor(this.d.clock.venueNowMs() / this.tfMs) + 1) * this.tfMs + 1
    this.timer = setTimeout(
      () => {
        this.timer = null
        void this.poll().then(() => this.schedule())
      },
      this.d.clock.wallDelayUntil(next, 1),
    )
  }

  private clearTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer)
    this.timer = null
  }

  /** An error of work the venue's events started (live): halts like an error of the loop. */
  venueError(e: unknown): void {
    this.fail(e)
  }

  private fail(e: unknown): void {
    if (e instanceof RunHalt) return this.halt(e.message)
    const message = e instanceof Error ? e.message : String(e)
    this.reportError(message)
    this.halt(`error: ${message}`)
  }

  private reportError(message: string): void {
    if (this.disposed) return
    this.lastError = message
    this.d.onError?.(`run ${this.d.run.runId}: ${message}`)
    this.d.events.append('error', this.d.run.runId, this.d.nowMs(), { message })
  }

  private halt(reason: string): void {
    if (this.disposed) return
    this.clearTimer()
    this.d.live?.closeTrading()
    this.setStatus('halted', reason)
    this.d.events.append('halt', this.d.run.runId, this.d.nowMs(), { reason })
    if (this.d.live) void this.cancelAtVenue(reason)
  }

  private setStatus(status: RunStatus, haltReason: string | null): void {
    if (this.disposed) return
    const now = this.d.nowMs()
    this.d.journal.runs.setStatus(this.d.run.runId, status, haltReason, now)
    this.statusValue = status
    this.haltReasonValue = haltReason
    this.d.events.append('status', this.d.run.runId, now, { status, haltReason })
  }
}
