// The backtest cell's number rules (ui.md): KRW with thousands separators and no decimals from
// 100 KRW up, percentages with two decimals, a real minus sign, "—" for a figure without a
// value (a zero denominator gives Infinity or NaN, design §7.4). Tabular figures are CSS's job.
const MINUS = '−'
const krw0 = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 })
const krw2 = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2, minimumFractionDigits: 0 })
const fixed2 = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2, minimumFractionDigits: 2 })
const qty = new Intl.NumberFormat('en-US', { maximumFractionDigits: 8 })

export const DASH = '—'

const sign = (n: number, signed: boolean): string => (n < 0 ? MINUS : signed && n > 0 ? '+' : '')

/** KRW amount: "1,234,567" (no decimals from 100 up), "12.5" below; "—" when not finite. */
export function fmtKrw(n: number, signed = false): string {
  if (!Number.isFinite(n)) return DASH
  const a = Math.abs(n)
  return sign(n, signed) + (a >= 100 ? krw0.format(a) : krw2.format(a))
}

/** A fraction as a percentage with two decimals: 0.0123 → "1.23%" ("+1.23%" when signed). */
export function fmtPct(f: number, signed = false): string {
  if (!Number.isFinite(f)) return DASH
  const a = Math.abs(f * 100)
  // Rounds to 0.00 → no sign, so "−0.00%" never shows.
  return (a < 0.005 ? '' : sign(f, signed)) + fixed2.format(a) + '%'
}

/** A plain ratio with two decimals (Sharpe, profit factor). */
export function fmtRatio(n: number): string {
  if (!Number.isFinite(n)) return DASH
  const a = Math.abs(n)
  return (a < 0.005 ? '' : sign(n, false)) + fixed2.format(a)
}

export const fmtQty = (n: number): string => (Number.isFinite(n) ? qty.format(n) : DASH)
