// Upbit wire formats: candle/ticker/trade date strings (UTC and KST), order timestamps with the
// +09:00 offset, decimal strings without exponents, and the `to`/`start_time` parsers.
const KST_MS = 9 * 3_600_000

const pad = (n: number, w = 2): string => String(n).padStart(w, '0')

function parts(ms: number): { y: string; mo: string; d: string; h: string; mi: string; s: string } {
  const dt = new Date(ms)
  return {
    y: String(dt.getUTCFullYear()),
    mo: pad(dt.getUTCMonth() + 1),
    d: pad(dt.getUTCDate()),
    h: pad(dt.getUTCHours()),
    mi: pad(dt.getUTCMinutes()),
    s: pad(dt.getUTCSeconds()),
  }
}

/** `yyyy-MM-ddTHH:mm:ss` in UTC, no zone suffix (candle_date_time_utc). */
export function isoUtcNoZone(ms: number): string {
  const p = parts(ms)
  return `${p.y}-${p.mo}-${p.d}T${p.h}:${p.mi}:${p.s}`
}

/** `yyyy-MM-ddTHH:mm:ss` in KST, no zone suffix (candle_date_time_kst). */
export function isoKstNoZone(ms: number): string {
  return isoUtcNoZone(ms + KST_MS)
}

/** `yyyy-MM-ddTHH:mm:ss+09:00` (order created_at). */
export function isoKst(ms: number): string {
  return `${isoKstNoZone(ms)}+09:00`
}

/** `yyyy-MM-ddTHH:mm:ss.ffffff+09:00` (trade created_at). */
export function isoKstMicros(ms: number): string {
  return `${isoKstNoZone(ms)}.${pad(((ms % 1000) + 1000) % 1000, 3)}000+09:00`
}

export function dateCompact(ms: number, offsetMs = 0): string {
  const p = parts(ms + offsetMs)
  return `${p.y}${p.mo}${p.d}`
}

export function timeCompact(ms: number, offsetMs = 0): string {
  const p = parts(ms + offsetMs)
  return `${p.h}${p.mi}${p.s}`
}

export function dateDashed(ms: number): string {
  const p = parts(ms)
  return `${p.y}-${p.mo}-${p.d}`
}

export function timeColon(ms: number): string {
  const p = parts(ms)
  return `${p.h}:${p.mi}:${p.s}`
}

export { KST_MS }

/** Decimal string as Upbit prints amounts: no exponent, at most `dp` decimals, no trailing zeros. */
export function dec(x: number, dp = 8): string {
  if (!Number.isFinite(x)) throw new RangeError(`not a finite amount: ${x}`)
  const r = Math.round(x * 10 ** dp) / 10 ** dp
  if (r === 0) return '0'
  let s = r.toFixed(dp)
  if (s.includes('.')) s = s.replace(/0+$/, '').replace(/\.$/, '')
  return s
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

function daysInMonth(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
  return month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!
}

/** The latest instant a JavaScript Date can hold (ms). */
const MAX_DATE_MS = 8_640_000_000_000_000

/**
 * Parses a candle `to`: `2025-06-24T04:56:53Z`, `…T04:56:53` and `… 04:56:53` (UTC),
 * `…T13:56:53+09:00` (offset honoured), with optional fractional seconds. NaN when invalid,
 * including dates that do not exist (2024-02-30, month 13, 25:00, an offset beyond ±23:59):
 * Date.UTC would roll them over into a different, valid instant.
 */
export function parseUpbitTime(text: string): number {
  // A zone of ' 09:00' is '+09:00' whose '+' was sent unencoded and so decoded as a space.
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+ -]\d{2}:?\d{2})?$/.exec(text.trim())
  if (!m) return Number.NaN
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number]
  const frac = m[7]
  const zone = m[8]
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || s > 59) return Number.NaN
  let ms = Date.UTC(y, mo - 1, d, h, mi, s)
  // Date.UTC reads years 0–99 as 1900–1999.
  if (y < 100) ms = new Date(ms).setUTCFullYear(y)
  if (frac) ms += Math.floor(Number(`0${frac}`) * 1000)
  if (zone && zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1
    const digits = zone.slice(1).replace(':', '')
    const zh = Number(digits.slice(0, 2))
    const zm = Number(digits.slice(2))
    if (zh > 23 || zm > 59) return Number.NaN
    ms -= sign * (zh * 3_600_000 + zm * 60_000)
  }
  return ms
}

/** `start_time`/`end_time`: ISO-8601 with offset, or a ms timestamp. NaN when invalid. */
export function parseOrderTime(text: string): number {
  if (/^\d+$/.test(text)) {
    // Digits only: a ms timestamp, which must be one a Date can hold (400 nines is not a time).
    const ms = text.length <= 16 ? Number(text) : Number.NaN
    return text.length >= 10 && ms <= MAX_DATE_MS ? ms : Number.NaN
  }
  return parseUpbitTime(text)
}
