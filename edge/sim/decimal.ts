// Exact reading of the decimal strings Upbit takes for prices and volumes. A float alone cannot
// tell "0.0005000001" from "0.0005" once digits beyond a double's precision are involved, so the
// text is normalised first and a value is only accepted when its double prints back as exactly
// that text; only then do float comparisons and shared/upbit/order-rules.ts decide exactly.
import { toPlainDecimal } from '../../shared/upbit/order-rules.ts'

/** Longer texts are refused outright: no price or volume needs 40 characters. */
const MAX_TEXT = 40
/** Exponent form (`5e-4`) is accepted within this range, so shifting the point stays cheap. */
const MAX_EXPONENT = 30

/**
 * Canonical plain form of a non-negative decimal text: no exponent, no leading zeros, no
 * trailing fractional zeros ("0.00050000" → "0.0005", "5e-4" → "0.0005", "007" → "7").
 * null when the text is not a plain or exponent-form decimal.
 */
export function normalizeDecimal(text: string): string | null {
  if (text.length > MAX_TEXT) return null
  const m = /^(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(text)
  if (!m) return null
  const exponent = m[3] === undefined ? 0 : Number(m[3])
  if (Math.abs(exponent) > MAX_EXPONENT) return null
  const frac = m[2] ?? ''
  const digits = m[1]! + frac
  // Position of the decimal point within `digits`, moved by the exponent and padded with zeros.
  let point = m[1]!.length + exponent
  let padded = digits
  if (point <= 0) {
    padded = '0'.repeat(1 - point) + digits
    point = 1
  } else if (point > digits.length) padded = digits + '0'.repeat(point - digits.length)
  const int = padded.slice(0, point).replace(/^0+(?=\d)/, '')
  const fraction = padded.slice(point).replace(/0+$/, '')
  return fraction === '' ? int : `${int}.${fraction}`
}

/** Decimals of a canonical decimal text. */
export function decimalsOfText(canonical: string): number {
  const dot = canonical.indexOf('.')
  return dot < 0 ? 0 : canonical.length - dot - 1
}

/** The double of a canonical decimal text, or null when the double would not print back as it. */
export function exactNumber(canonical: string): number | null {
  const n = Number(canonical)
  return Number.isFinite(n) && toPlainDecimal(n) === canonical ? n : null
}
