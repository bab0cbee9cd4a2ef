// The names of the strategy API, for the editor's completion: `ta.` gives the indicators with
// their arguments, `s.` / `series.` the candle columns, `Math.` Math without random, and at the
// start of a word the module's fields and the few globals the sandbox has. Pure: the editor
// (editor.ts) turns these into CodeMirror completions.

export interface ApiName {
  readonly label: string
  readonly type: 'function' | 'property' | 'variable' | 'keyword' | 'class' | 'constant'
  readonly detail?: string
  readonly info?: string
}

const F = (x: string): string => `${x}: Float64Array`
const HLC = `${F('high')}, ${F('low')}, ${F('close')}`

/** ta.* — the shared indicators (TA-Lib exact, NaN during their look-back). */
export const TA_NAMES: readonly ApiName[] = [
  ['sma', `(${F('x')}, n)`, 'Simple moving average'],
  ['ema', `(${F('x')}, n)`, 'Exponential moving average'],
  ['wma', `(${F('x')}, n)`, 'Weighted moving average'],
  ['rsi', `(${F('x')}, n)`, "Wilder's RSI, 0..100"],
  ['macd', `(${F('x')}, fast, slow, signal) → { macd, signal, hist }`, 'MACD'],
  ['bbands', `(${F('x')}, n, kUp, kDown) → { upper, middle, lower }`, 'Bollinger bands'],
  ['atr', `(${HLC}, n)`, 'Average true range'],
  ['trange', `(${HLC})`, 'True range'],
  ['cci', `(${HLC}, n)`, 'Commodity channel index'],
  ['stoch', `(${HLC}, fastK, slowK, slowD) → { k, d }`, 'Stochastic oscillator'],
  ['adx', `(${HLC}, n)`, 'Average directional index'],
  ['willr', `(${HLC}, n)`, "Williams' %R"],
  ['roc', `(${F('x')}, n)`, 'Rate of change, in %'],
  ['mom', `(${F('x')}, n)`, 'Momentum: x[t] − x[t−n]'],
  ['obv', `(${F('close')}, ${F('volume')})`, 'On-balance volume'],
  ['mfi', `(${HLC}, ${F('volume')}, n)`, 'Money flow index'],
  ['engulfing', `(${F('open')}, ${F('high')}, ${F('low')}, ${F('close')})`, 'Engulfing pattern: ±100 / ±80 / 0'],
].map(([label, detail, info]) => ({ label: label!, type: 'function' as const, detail: detail!, info: info! }))

/** series.* — the candle columns (bar open time in epoch ms UTC). */
export const SERIES_NAMES: readonly ApiName[] = ['time', 'open', 'high', 'low', 'close', 'volume'].map((c) => ({
  label: c,
  type: 'property' as const,
  detail: 'Float64Array',
  info: c === 'time' ? 'Bar open time, epoch ms UTC' : `The bars' ${c}`,
}))

export const MATH_NAMES: readonly ApiName[] = Object.getOwnPropertyNames(Math)
  .filter((k) => k !== 'random')
  .map((k) => ({ label: k, type: typeof (Math as unknown as Record<string, unknown>)[k] === 'function' ? 'function' : 'constant' }))

/** The module's fields and the sandbox's globals. */
export const TOP_NAMES: readonly ApiName[] = [
  { label: 'id', type: 'property', detail: "'user.my-strategy'", info: 'user.<name>: lower case, digits and -' },
  { label: 'version', type: 'property', detail: 'integer ≥ 1', info: 'Bump it when the rule changes' },
  { label: 'name', type: 'property', detail: 'string' },
  { label: 'description', type: 'property', detail: 'string' },
  { label: 'params', type: 'property', detail: '[{ name, default, min, max, step, label?, unit?, integer? }]' },
  { label: 'warmup', type: 'function', detail: '(params) => bars', info: 'Bars before the first bar whose signal may be non-zero' },
  {
    label: 'signals',
    type: 'function',
    detail: '(series, params, ta) => Int8Array',
    info: '+1 long, −1 flat, 0 no opinion; signals[t] reads bars 0..t only',
  },
  { label: 'ta', type: 'variable', detail: 'indicators' },
  { label: 'Math', type: 'variable', detail: 'Math without random' },
  ...['Int8Array', 'Int16Array', 'Int32Array', 'Uint8Array', 'Float32Array', 'Float64Array'].map((label) => ({
    label,
    type: 'class' as const,
  })),
]

/**
 * What to complete at the end of `before` (the line's text up to the caret): the members after
 * `ta.`, `s.`/`series.`, `Math.`, or the top names for a bare word. `from` is the offset in
 * `before` where the completed word starts; null when nothing applies.
 */
export function apiCompletions(before: string, explicit = false): { from: number; options: readonly ApiName[] } | null {
  const member = /(\b[A-Za-z_$][\w$]*)\.([\w$]*)$/.exec(before)
  if (member !== null) {
    const obj = member[1]!
    const from = before.length - member[2]!.length
    if (obj === 'ta') return { from, options: TA_NAMES }
    if (obj === 's' || obj === 'series') return { from, options: SERIES_NAMES }
    if (obj === 'Math') return { from, options: MATH_NAMES }
    return null
  }
  const word = /[A-Za-z_$][\w$]*$/.exec(before)
  if (word === null && !explicit) return null
  return { from: before.length - (word?.[0].length ?? 0), options: TOP_NAMES }
}
