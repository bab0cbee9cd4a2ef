// Candle files for the optimize CLI. Two formats, chosen by extension:
// - .json: columnar { "timeframe"?: "1m", "time": [...], "open": [...], "high": [...], "low": [...],
//   "close": [...], "volume": [...] } (time = bar OPEN time, epoch ms UTC), or an array of rows
//   [{ "time", "open", "high", "low", "close", "volume" }, ...].
// - .csv: a header line `time,open,high,low,close,volume` (any column order), one bar per line;
//   time as epoch ms or an ISO-8601 UTC string (e.g. 2024-01-01T00:00:00Z).
// Series are validated (finite, high/low envelope, strictly increasing aligned times) against the
// timeframe (default 1m; CSV: --timeframe or the config's data.timeframe).
import { readFileSync, statSync } from 'node:fs'
import { extname } from 'node:path'
import { allocSeries, isTimeframe, validateSeries } from '../../shared/candles/index.ts'
import type { CandleSeries, Timeframe } from '../../shared/candles/index.ts'
import { MAX_BARS, MAX_CANDLE_FILE_BYTES, megabytes } from './limits.ts'

export class CandleFileError extends Error {
  constructor(path: string, message: string) {
    super(`candle file ${path}: ${message}`)
    this.name = 'CandleFileError'
  }
}

const COLUMNS = ['time', 'open', 'high', 'low', 'close', 'volume'] as const

function parseTime(s: string): number {
  const t = s.trim()
  return /^-?\d+(\.\d+)?$/.test(t) ? Number(t) : Date.parse(t)
}

function tooManyBars(path: string, bars: number): CandleFileError {
  return new CandleFileError(
    path,
    `has ${bars.toLocaleString('en-US')} bars, more than the ${MAX_BARS.toLocaleString('en-US')} (10 years of 1m bars) the optimizer holds in memory: cut it to a shorter period`,
  )
}

export function parseCandleCsv(text: string, path = '<csv>'): CandleSeries {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '')
  if (lines.length === 0) throw new CandleFileError(path, 'empty file')
  const header = lines[0]!.split(',').map((h) => h.trim().toLowerCase())
  const idx = COLUMNS.map((c) => header.indexOf(c))
  const missing = COLUMNS.filter((_, i) => idx[i]! < 0)
  if (missing.length > 0) throw new CandleFileError(path, `header lacks ${missing.join(', ')} (need time,open,high,low,close,volume)`)
  if (lines.length - 1 > MAX_BARS) throw tooManyBars(path, lines.length - 1)
  const s = allocSeries(lines.length - 1)
  const cols = [s.time, s.open, s.high, s.low, s.close, s.volume]
  for (let r = 1; r < lines.length; r++) {
    const cells = lines[r]!.split(',')
    COLUMNS.forEach((c, k) => {
      const cell = cells[idx[k]!]
      const v = cell === undefined ? NaN : c === 'time' ? parseTime(cell) : Number(cell)
      if (!Number.isFinite(v)) throw new CandleFileError(path, `line ${r + 1}: bad ${c} ${JSON.stringify(cell)}`)
      cols[k]![r - 1] = v
    })
  }
  return s
}

export function parseCandleJson(value: unknown, path = '<json>'): { series: CandleSeries; timeframe?: string } {
  if (Array.isArray(value)) {
    if (value.length > MAX_BARS) throw tooManyBars(path, value.length)
    const s = allocSeries(value.length)
    value.forEach((row: unknown, i) => {
      for (const c of COLUMNS) {
        const v = (row as Record<string, unknown> | null)?.[c]
        if (typeof v !== 'number' || !Number.isFinite(v)) throw new CandleFileError(path, `row ${i}: ${c} must be a finite number`)
        s[c][i] = v
      }
    })
    return { series: s }
  }
  if (typeof value !== 'object' || value === null) throw new CandleFileError(path, 'expected an object of columns or an array of rows')
  const o = value as Record<string, unknown>
  const n = Array.isArray(o.time) ? o.time.length : -1
  if (n < 0) throw new CandleFileError(path, '"time" must be an array')
  if (n > MAX_BARS) throw tooManyBars(path, n)
  const s = allocSeries(n)
  for (const c of COLUMNS) {
    const col = o[c]
    if (!Array.isArray(col) || col.length !== n) throw new CandleFileError(path, `"${c}" must be an array of ${n} numbers`)
    col.forEach((v: unknown, i) => {
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new CandleFileError(path, `${c}[${i}] must be a finite number`)
      s[c][i] = v
    })
  }
  return { series: s, timeframe: typeof o.timeframe === 'string' ? o.timeframe : undefined }
}

/** Newlines in `text`, counted without splitting it (a bound on a CSV's bars before parsing). */
function lineBreaks(text: string): number {
  let n = 0
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++
  return n
}

export function loadCandleFile(path: string, timeframe?: string): CandleSeries {
  let text: string
  try {
    const bytes = statSync(path).size
    if (bytes > MAX_CANDLE_FILE_BYTES) {
      throw new CandleFileError(
        path,
        `is ${megabytes(bytes)}, more than the ${megabytes(MAX_CANDLE_FILE_BYTES)} the optimizer reads: cut it to a shorter period`,
      )
    }
    text = readFileSync(path, 'utf8')
  } catch (e) {
    if (e instanceof CandleFileError) throw e
    throw new CandleFileError(path, (e as Error).message)
  }
  let series: CandleSeries
  let tf = timeframe
  if (extname(path).toLowerCase() === '.csv') {
    // Header + one line per bar; blank lines only make this an overestimate by a few.
    if (lineBreaks(text) > MAX_BARS + 1) throw tooManyBars(path, lineBreaks(text))
    series = parseCandleCsv(text, path)
  } else {
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch (e) {
      throw new CandleFileError(path, `invalid JSON: ${(e as Error).message}`)
    }
    const parsed = parseCandleJson(json, path)
    series = parsed.series
    tf ??= parsed.timeframe
  }
  tf ??= '1m'
  if (!isTimeframe(tf)) throw new CandleFileError(path, `unknown timeframe ${JSON.stringify(tf)}`)
  if (series.close.length < 2) throw new CandleFileError(path, 'needs at least 2 bars')
  const v = validateSeries(series, tf as Timeframe)
  if (!v.ok)
    throw new CandleFileError(
      path,
      `${v.error.totalErrors} invalid value(s), first: ${v.error.issues
        .map((e) => `${e.timeIso} ${e.field}: ${e.message}`)
        .slice(0, 3)
        .join('; ')}`,
    )
  return series
}
