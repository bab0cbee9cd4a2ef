// A paper run in time: at each bar close (on the venue's clock, followed by clock.ts) it asks the
// feed for every closed bar since the last one it holds, appends them to the live series and
// steps them through the PaperRun. Stale data (no new closed bar for STALE_BARS intervals) halts
// the run with the reason; so does anything the decisions refuse (RunHalt) or an unexpected error.
// Status changes are persisted in the journal first, then announced as events.
import { TIMEFRAME_MS, type Timeframe } from '../../shared/candles/index.ts'
import type { Journal, RunStatus } from '../journal/index.ts'
import type { ClockFollower } from './clock.ts'
import type { EventLog } from './event-log.ts'
import type { CandleFeed } from './feed.ts'
import { type PaperRun, RunHalt } from './paper-run.ts'

/** Bar intervals without a new closed candle after which the run halts (reliability WS-3). */
export const STALE_BARS = 3

export interface RunnerDeps {
  readonly run: PaperRun
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

export class PaperRunner {
  private timer: ReturnType<typeof setTimeout> | null = null
  private busy = false
  private statusValue: RunStatus
  private haltReasonValue: string | null
  private lastError: string | null = null
  private startRecorded = false

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
      this.d.run.stepClosedBars()
    } catch (e) {
      return this.fail(e)
    }
    if (last !== undefined && !(this.d.run.series.lastTimeMs >= last.timeMs)) {
      return this.halt(`restart: the venue's candles do not reach the run's last journaled bar (${new Date(last.timeMs).toISOString()})`)
    }
    this.startRecorded = true
    if (this.statusValue !== 'running') this.setStatus('running', null)
    this.schedule()
  }

  /** Stops deciding; the paper order (if any) is dropped; persisted as stopped. */
  stop(): void {
    this.clearTimer()
    if (this.statusValue === 'stopped') return
    this.d.run.dropPending('stopped')
    this.setStatus('stopped', null)
  }

  /** Kill switch: persist halted FIRST, then drop the pending paper order (nothing is at a venue). */
  kill(reason = 'killed'): void {
    this.clearTimer()
    if (this.statusValue === 'stopped') return
    if (this.statusValue !== 'halted') this.setStatus('halted', reason)
    this.d.run.dropPending(reason)
  }

  /** Stops the timer only (edge shutting down): the status stays what it is, a restart resumes it. */
  dispose(): void {
    this.clearTimer()
  }

  /** One poll: new closed bars → decisions. Public for tests that drive it by hand. */
  async poll(): Promise<void> {
    if (this.busy || this.statusValue !== 'running') return
    this.busy = true
    try {
      const run = this.d.run
      const lastMs = run.series.lastTimeMs
      const r = await this.d.feed.closedSince(lastMs + this.tfMs)
      if (this.statusValue !== 'running') return
      if (!r.ok) {
        this.reportError(`feed: ${r.error.message}`)
      } else {
        run.series.append(r.value)
        run.stepClosedBars()
        if (!this.startRecorded && !Number.isNaN(run.startBarMs)) {
          this.d.journal.runs.setStartBar(run.runId, run.startBarMs, this.d.nowMs())
          this.startRecorded = true
        }
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

  private fail(e: unknown): void {
    if (e instanceof RunHalt) return this.halt(e.message)
    const message = e instanceof Error ? e.message : String(e)
    this.reportError(message)
    this.halt(`error: ${message}`)
  }

  private reportError(message: string): void {
    this.lastError = message
    this.d.onError?.(`run ${this.d.run.runId}: ${message}`)
    this.d.events.append('error', this.d.run.runId, this.d.nowMs(), { message })
  }

  private halt(reason: string): void {
    this.clearTimer()
    this.setStatus('halted', reason)
    this.d.events.append('halt', this.d.run.runId, this.d.nowMs(), { reason })
  }

  private setStatus(status: RunStatus, haltReason: string | null): void {
    const now = this.d.nowMs()
    this.d.journal.runs.setStatus(this.d.run.runId, status, haltReason, now)
    this.statusValue = status
    this.haltReasonValue = haltReason
    this.d.events.append('status', this.d.run.runId, now, { status, haltReason })
  }
}
