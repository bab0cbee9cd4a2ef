// Risk guards of a run (reliability RISK-4/5), the same for paper and live runs so a paper run
// rehearses what live would do. Two kinds:
// - a pre-trade check in the order gateway: a buy whose value would take the position past
//   `maxPositionQuote` is refused before it is sent (the run's state counts it as rejected);
// - loss guards after each bar's equity mark: the day's loss (realized + marked, fees included,
//   the day starting at 00:00 KST, Upbit's day) reaching `dailyLossLimitRate` of the day's starting
//   equity, or equity `maxDrawdownRate` below its peak, halts the run.
// The guards hold no state of their own that a restart could lose: they are rebuilt from the
// run's equity marks, which a restart replays (halts themselves persist as the run's status and
// are cleared only by the user starting a new run).
import type { RiskLimits } from '../promotions/schema.ts'

const DAY_MS = 86_400_000
/** 00:00 KST is 15:00 UTC of the day before. */
const KST_OFFSET_MS = 9 * 3_600_000

/** The KST calendar day of an instant, as a day number. */
export const kstDay = (ms: number): number => Math.floor((ms + KST_OFFSET_MS) / DAY_MS)

export class RiskGuard {
  private peak = -Infinity
  private day = NaN
  private dayStart = NaN
  private last = NaN

  constructor(
    private readonly limits: RiskLimits,
    initialEquity: number,
  ) {
    this.last = initialEquity
    this.peak = initialEquity
  }

  /** Why a buy of `notionalQuote` must not be sent while `positionCostQuote` is held, or null. */
  checkBuy(notionalQuote: number, positionCostQuote: number): string | null {
    if (!(notionalQuote + positionCostQuote <= this.limits.maxPositionQuote)) {
      return `risk: max position ${this.limits.maxPositionQuote} KRW (order ${Math.round(notionalQuote)} KRW, held ${Math.round(positionCostQuote)} KRW)`
    }
    return null
  }

  /** The equity marked at a bar's close (`closeMs`); returns why the run must halt, or null. */
  mark(closeMs: number, equity: number): string | null {
    const day = kstDay(closeMs - 1)
    if (day !== this.day) {
      // The day starts with the equity of the last mark before it (the previous close).
      this.day = day
      this.dayStart = this.last
    }
    this.last = equity
    if (equity > this.peak) this.peak = equity
    if (!Number.isFinite(equity)) return `risk: equity is not a number (${equity})`
    const dayLoss = this.dayStart - equity
    if (this.dayStart > 0 && dayLoss >= this.limits.dailyLossLimitRate * this.dayStart) {
      return `risk: daily loss ${pct(dayLoss / this.dayStart)} reached the limit ${pct(this.limits.dailyLossLimitRate)} (KST day)`
    }
    const dd = this.peak > 0 ? (this.peak - equity) / this.peak : 0
    if (dd >= this.limits.maxDrawdownRate) {
      return `risk: drawdown ${pct(dd)} from the peak reached the limit ${pct(this.limits.maxDrawdownRate)}`
    }
    return null
  }
}

const pct = (x: number): string => `${(x * 100).toFixed(2)}%`
