// display(value) in a code cell: what the value is shown as. A danfojs DataFrame or Series, an
// array of rows, a column object ({ col: [...] }) or a typed array → a table (the first
// MAX_TABLE_ROWS rows, with the total); an object with a `data` array → a Plotly figure; a
// string → text; anything else → its JSON. Pure, and free of danfojs itself (the classes are
// handed in), so it is tested without loading the library.
import { MAX_TABLE_ROWS, type DisplayItem, type TableValue } from './protocol.ts'

export interface FrameClasses {
  readonly DataFrame?: abstract new (...args: never[]) => unknown
  readonly Series?: abstract new (...args: never[]) => unknown
}

interface FrameLike {
  readonly columns: readonly string[]
  readonly values: readonly unknown[]
  readonly index: readonly (string | number)[]
  readonly shape: readonly number[]
}

const isFrameLike = (v: unknown): v is FrameLike =>
  typeof v === 'object' &&
  v !== null &&
  Array.isArray((v as FrameLike).columns) &&
  Array.isArray((v as FrameLike).values) &&
  Array.isArray((v as FrameLike).shape) &&
  (v as FrameLike).index !== undefined

const isTyped = (v: unknown): v is ArrayLike<number> => ArrayBuffer.isView(v) && !(v instanceof DataView)

export function tableValue(v: unknown): TableValue {
  if (v === null || v === undefined) return null
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v
  if (typeof v === 'bigint') return Number(v)
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString()
  try {
    return JSON.stringify(v) ?? String(v)
  } catch {
    return String(v)
  }
}

const isDefaultIndex = (index: readonly unknown[]): boolean => index.every((x, i) => x === i)

function table(
  title: string | null,
  columns: readonly string[],
  rows: readonly (readonly unknown[])[],
  totalRows: number,
  index: readonly unknown[] | null,
): DisplayItem {
  const n = Math.min(rows.length, MAX_TABLE_ROWS)
  const out: TableValue[][] = []
  for (let i = 0; i < n; i++) out.push(rows[i]!.map(tableValue))
  const idx = index !== null && !isDefaultIndex(index) ? index.slice(0, n).map((x) => (typeof x === 'number' ? x : String(x))) : null
  return { kind: 'table', title, columns: [...columns], rows: out, totalRows, index: idx }
}

function fromColumns(title: string | null, cols: Readonly<Record<string, ArrayLike<unknown>>>): DisplayItem {
  const names = Object.keys(cols)
  const total = Math.max(0, ...names.map((c) => cols[c]!.length))
  const n = Math.min(total, MAX_TABLE_ROWS)
  const rows: unknown[][] = []
  for (let i = 0; i < n; i++) rows.push(names.map((c) => cols[c]![i]))
  return table(title, names, rows, total, null)
}

function fromRecords(title: string | null, recs: readonly unknown[]): DisplayItem {
  const names: string[] = []
  const seen = new Set<string>()
  for (const r of recs.slice(0, 200))
    for (const k of Object.keys(r as object))
      if (!seen.has(k)) {
        seen.add(k)
        names.push(k)
      }
  const rows = recs.slice(0, MAX_TABLE_ROWS).map((r) => names.map((k) => (r as Record<string, unknown>)[k]))
  return table(title, names, rows, recs.length, null)
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null)

function jsonText(v: unknown): string {
  try {
    const s = JSON.stringify(v, (_k, x: unknown) => (isTyped(x) ? Array.from(x) : typeof x === 'bigint' ? Number(x) : x), 2)
    if (s === undefined) return String(v)
    return s.length > 20_000 ? `${s.slice(0, 20_000)}\n… (${s.length.toLocaleString('en-US')} characters)` : s
  } catch {
    return String(v)
  }
}

export function toDisplayItem(value: unknown, classes: FrameClasses = {}, title: string | null = null): DisplayItem {
  if (typeof value === 'string') return { kind: 'text', text: value }
  if (value === null || value === undefined || typeof value !== 'object') return { kind: 'text', text: String(value) }
  if (value instanceof Error) return { kind: 'text', text: `${value.name}: ${value.message}`, stream: 'error' }
  const isSeries = classes.Series !== undefined && value instanceof classes.Series
  const isFrame = classes.DataFrame !== undefined && value instanceof classes.DataFrame
  if ((isSeries || isFrame || isFrameLike(value)) && isFrameLike(value)) {
    const f = value
    const oneD = isSeries || (f.values.length > 0 && !Array.isArray(f.values[0]))
    const rows = oneD ? f.values.slice(0, MAX_TABLE_ROWS).map((x) => [x]) : (f.values.slice(0, MAX_TABLE_ROWS) as unknown[][])
    return table(title, oneD ? [f.columns[0] ?? 'value'] : f.columns, rows, f.shape[0] ?? f.values.length, f.index)
  }
  if (isTyped(value)) return fromColumns(title, { value })
  if (Array.isArray(value)) {
    if (value.length > 0 && value.every((r) => Array.isArray(r)))
      return table(
        title,
        Array.from({ length: Math.max(...value.slice(0, 200).map((r) => (r as unknown[]).length)) }, (_, i) => String(i)),
        value as unknown[][],
        value.length,
        null,
      )
    if (value.length > 0 && value.every((r) => isPlainObject(r))) return fromRecords(title, value)
    return fromColumns(title, { value })
  }
  if (isPlainObject(value)) {
    if (Array.isArray(value.data) && (value.layout === undefined || isPlainObject(value.layout)))
      return { kind: 'figure', title, data: value.data, layout: (value.layout as Record<string, unknown> | undefined) ?? {} }
    const vals = Object.values(value)
    if (vals.length > 0 && vals.every((c) => Array.isArray(c) || isTyped(c))) {
      const len = (vals[0] as ArrayLike<unknown>).length
      if (vals.every((c) => (c as ArrayLike<unknown>).length === len))
        return fromColumns(title, value as Record<string, ArrayLike<unknown>>)
    }
  }
  return { kind: 'text', text: jsonText(value) }
}

/** One console.log argument as text (a DataFrame prints as its own table text). */
export function logText(a: unknown): string {
  if (typeof a === 'string') return a
  if (a instanceof Error) return `${a.name}: ${a.message}`
  if (typeof a === 'object' && a !== null && !Array.isArray(a) && !isPlainObject(a) && !isTyped(a)) {
    const s = String(a)
    if (s !== '[object Object]') return s
  }
  return typeof a === 'object' && a !== null ? jsonText(a) : String(a)
}

/** The user's line and column of an error, from its stack frames in the generated module. */
export function userPosition(stack: string, moduleUrl: string, preludeLines: number): { line: number; column: number } | null {
  for (const raw of stack.split('\n')) {
    const at = raw.lastIndexOf(moduleUrl)
    if (at < 0) continue
    const m = /^:(\d+):(\d+)/.exec(raw.slice(at + moduleUrl.length))
    if (m === null) continue
    const line = Number(m[1]) - preludeLines
    if (line >= 1) return { line, column: Number(m[2]) }
  }
  return null
}

/** Freezes an object graph (typed arrays cannot be frozen: they are copies already). */
export function deepFreeze<T>(v: T, seen = new Set<unknown>()): T {
  if (typeof v !== 'object' || v === null || seen.has(v) || isTyped(v)) return v
  seen.add(v)
  for (const k of Reflect.ownKeys(v)) deepFreeze((v as Record<string | symbol, unknown>)[k], seen)
  return Object.freeze(v)
}
