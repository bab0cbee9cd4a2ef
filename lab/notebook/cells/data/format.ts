// Number and time formats of the data cell (tabular figures are the stylesheet's job).
const int = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 })

export const fmtInt = (n: number): string => int.format(n)
export const fmtPct = (f: number): string => `${(f * 100).toFixed(f >= 0.9995 && f < 1 ? 2 : 1)}%`

/** UTC, minute precision: "2024-07-01 09:30". */
export const fmtUtc = (ms: number): string => new Date(ms).toISOString().slice(0, 16).replace('T', ' ')

export function fmtDuration(seconds: number): string {
  if (seconds < 60) return `${Math.max(1, Math.round(seconds))} s`
  const m = Math.round(seconds / 60)
  return m < 60 ? `${m} min` : `${Math.floor(m / 60)} h ${m % 60} min`
}

const vol0 = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 })
const vol2 = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 })
const vol4 = new Intl.NumberFormat('en-US', { maximumFractionDigits: 4 })

/** A traded volume (in the market's coin): no decimals from 1,000 up, two from 1, four below. */
export const fmtVolume = (n: number): string => (n >= 1000 ? vol0 : n >= 1 ? vol2 : vol4).format(n)
