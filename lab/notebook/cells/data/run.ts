// Running a data cell: bring the range into the candle store through edge (only what coverage
// lacks), then hand the stored bars down as columns.
import { syncRange, type SyncProgress, type TimeRange } from '../../../candles/index.ts'
import type { CandleGap } from '../../../../shared/candles/index.ts'
import type { CellProgress, RunContext, SeriesValue } from '../types.ts'
import { fmtDuration, fmtInt, fmtPct } from './format.ts'
import { resolveRange, type DataParams } from './params.ts'

export interface DataOutput extends SeriesValue {
  readonly bars: number
  readonly gaps: readonly CandleGap[]
  readonly missingBars: number
  readonly coveredFraction: number
  readonly downloadedBars: number
}

export function progressText(p: SyncProgress): CellProgress {
  const parts = [`${fmtPct(p.fraction)} stored`, `${fmtInt(p.barsReceived)} bars received`]
  if (p.barsPerSecond > 0) parts.push(`${fmtInt(p.barsPerSecond)} bars/s`)
  if (p.etaSeconds !== null && p.fraction < 1) parts.push(`about ${fmtDuration(p.etaSeconds)} left`)
  return { fraction: p.fraction, text: parts.join(' · ') }
}

export async function runDataCell(ctx: RunContext<DataParams>): Promise<DataOutput> {
  const { venue, market, timeframe } = ctx.params
  const range: TimeRange | null = resolveRange(ctx.params.range, timeframe, ctx.services.now())
  if (range === null) throw new Error('The range is empty: the end date must not be before the start date, nor in the future.')
  const store = await ctx.services.candleStore()
  const key = { venue, market, timeframe }
  const r = await syncRange(store, ctx.services.candleStream, key, range, {
    signal: ctx.signal,
    onProgress: (p) => ctx.progress(progressText(p)),
  })
  return {
    key,
    fromMs: range[0],
    toMs: range[1],
    series: r.series,
    covered: r.covered,
    bars: r.series.time.length,
    gaps: r.gaps,
    missingBars: r.missingBars,
    coveredFraction: r.coveredFraction,
    downloadedBars: r.downloadedBars,
  }
}
