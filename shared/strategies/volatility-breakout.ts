// Seed 001 `VolatilityBreakoutStrategy` (Larry Williams' breakout, as pyupbit bots run it):
// buy when the price breaks today's open + k × yesterday's range; sell at the next day's open;
// the seed's "previous-day low breach" exit is a signal here, its ATR and trailing stops are the
// engine's stop settings. Bars are grouped into UTC-aligned periods of `periodHours` (24 = the
// UTC day, which is Upbit's 09:00 KST candle day). Only bars ≤ t are read: the day open is the
// open of the period's first bar, the previous range is from the finished previous period.
import { defineStrategy } from './define.ts'
import { num, paramSpec } from './params.ts'

const HOUR_MS = 3_600_000

export const volatilityBreakoutStrategy = defineStrategy({
  id: 'volatility-breakout',
  version: 1,
  name: 'Volatility breakout (seed 001)',
  description:
    'Seed 001 volatility breakout. Bars are grouped into UTC-aligned periods of periodHours (24 = UTC day). ' +
    'For bar t in period d: dayOpen = open of d’s first bar; prevHigh/prevLow = highest high/lowest low of ' +
    'period d−1 (none when d−1 has no bars); target = dayOpen + k × (prevHigh − prevLow). ' +
    '+1 if a previous range exists and close[t] ≥ target; otherwise −1 on the first bar of a period ' +
    '(exit at the new day’s open) or when close[t] < prevLow (previous-low breach); else 0. ' +
    'All bars of the series’ first period are 0.',
  params: [
    paramSpec('k', { label: 'k (range multiple)', default: 0.5, min: 0.1, max: 1.5, step: 0.05, unit: 'ratio', integer: false }),
    paramSpec('periodHours', { label: 'Period', default: 24, min: 1, max: 168, step: 1, unit: 'hours', integer: true }),
  ],
  warmup: () => 1,
  compute: (series, p, out) => {
    const { time, open, high, low, close } = series
    const k = num(p, 'k')
    const periodMs = num(p, 'periodHours') * HOUR_MS
    const n = close.length
    let period = Number.NaN
    let periodEndMs = Number.NEGATIVE_INFINITY // times increase: a bar at or past it opens a period
    let dayOpen = Number.NaN
    let runHigh = Number.NaN
    let runLow = Number.NaN
    let prevHigh = Number.NaN
    let prevLow = Number.NaN
    let first = true // still inside the series' first period
    for (let t = 0; t < n; t++) {
      const timeMs = time[t]!
      const newPeriod = timeMs >= periodEndMs
      if (newPeriod) {
        const d = Math.floor(timeMs / periodMs)
        periodEndMs = (d + 1) * periodMs
        const contiguous = d === period + 1
        first = t === 0
        prevHigh = contiguous ? runHigh : Number.NaN
        prevLow = contiguous ? runLow : Number.NaN
        period = d
        dayOpen = open[t]!
        runHigh = high[t]!
        runLow = low[t]!
      } else {
        if (high[t]! > runHigh) runHigh = high[t]!
        if (low[t]! < runLow) runLow = low[t]!
      }
      if (first) {
        out[t] = 0
        continue
      }
      const c = close[t]!
      // NaN prevHigh/prevLow (no previous period) make both comparisons false.
      const target = dayOpen + k * (prevHigh - prevLow)
      out[t] = c >= target ? 1 : newPeriod || c < prevLow ? -1 : 0
    }
  },
})
