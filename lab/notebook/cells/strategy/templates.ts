// Starting points for a strategy cell, one per family of the built-ins (RSI, trend, momentum,
// volatility breakout, price action, mean reversion, channel breakout). Each is a complete module
// in the shape README "User strategies" describes, passes every audit (test/lab/notebook/
// strategy.dom.test.ts runs them), and reads bars 0..t only for signals[t].

export interface StrategyTemplate {
  readonly key: string
  readonly label: string
  readonly family: string
  readonly lang: 'ts' | 'js'
  readonly source: string
}

const RSI_CROSS = `// RSI cross: want long when the RSI is below \`low\`, flat when it is above \`high\`.
// signals(series, params, ta) returns one value per bar: +1 long, -1 flat, 0 no opinion,
// and signals[t] may only read bars 0..t.
interface P {
  period: number
  low: number
  high: number
}

export default {
  id: 'user.rsi-cross',
  version: 1,
  name: 'RSI cross',
  description: 'Long below the low RSI level, flat above the high one.',
  params: [
    { name: 'period', label: 'RSI period', default: 14, min: 2, max: 100, step: 1, unit: 'bars', integer: true },
    { name: 'low', default: 30, min: 1, max: 50, step: 1, unit: 'points' },
    { name: 'high', default: 70, min: 50, max: 99, step: 1, unit: 'points' },
  ],
  warmup: (p: P) => p.period + 1,
  signals(s, p: P, ta) {
    const r = ta.rsi(s.close, p.period)
    const out = new Int8Array(s.close.length)
    for (let t = p.period + 1; t < out.length; t++) out[t] = r[t] < p.low ? 1 : r[t] > p.high ? -1 : 0
    return out
  },
}
`

const SMA_CROSS = `// Trend: a fast moving average crossing a slow one. Long on the cross up, flat on the cross down.
interface P {
  fast: number
  slow: number
}

export default {
  id: 'user.sma-cross',
  version: 1,
  name: 'SMA cross',
  description: 'Long when the fast SMA crosses above the slow one, flat when it crosses below.',
  params: [
    { name: 'fast', label: 'Fast SMA', default: 10, min: 2, max: 200, step: 1, unit: 'bars', integer: true },
    { name: 'slow', label: 'Slow SMA', default: 40, min: 3, max: 500, step: 1, unit: 'bars', integer: true },
  ],
  warmup: (p: P) => Math.max(p.fast, p.slow),
  signals(s, p: P, ta) {
    const fast = ta.sma(s.close, p.fast)
    const slow = ta.sma(s.close, p.slow)
    const out = new Int8Array(s.close.length)
    for (let t = Math.max(p.fast, p.slow); t < out.length; t++) {
      const before = fast[t - 1] - slow[t - 1]
      const now = fast[t] - slow[t]
      if (before <= 0 && now > 0) out[t] = 1
      else if (before >= 0 && now < 0) out[t] = -1
    }
    return out
  },
}
`

const MOMENTUM = `// Momentum: the rate of change over \`period\` bars. Long above +threshold, flat below -threshold.
interface P {
  period: number
  threshold: number
}

export default {
  id: 'user.momentum',
  version: 1,
  name: 'Momentum (ROC)',
  description: 'Long when the rate of change over the period is above the threshold (in %), flat when below its negative.',
  params: [
    { name: 'period', default: 30, min: 1, max: 500, step: 1, unit: 'bars', integer: true },
    { name: 'threshold', default: 0.5, min: 0, max: 20, step: 0.1, unit: '%' },
  ],
  warmup: (p: P) => p.period,
  signals(s, p: P, ta) {
    const roc = ta.roc(s.close, p.period)
    const out = new Int8Array(s.close.length)
    for (let t = p.period; t < out.length; t++) out[t] = roc[t] > p.threshold ? 1 : roc[t] < -p.threshold ? -1 : 0
    return out
  },
}
`

const VOLATILITY_BREAKOUT = `// Volatility breakout (Larry Williams): long when the bar closes above its open plus k times the
// previous bar's range; flat when it closes below its open.
interface P {
  k: number
}

export default {
  id: 'user.vol-breakout',
  version: 1,
  name: 'Volatility breakout',
  description: "Long when close > open + k × the previous bar's range; flat when close < open.",
  params: [{ name: 'k', default: 0.5, min: 0.1, max: 3, step: 0.05, unit: 'ratio' }],
  warmup: () => 1,
  signals(s, p: P) {
    const out = new Int8Array(s.close.length)
    for (let t = 1; t < out.length; t++) {
      const range = s.high[t - 1] - s.low[t - 1]
      if (s.close[t] > s.open[t] + p.k * range) out[t] = 1
      else if (s.close[t] < s.open[t]) out[t] = -1
    }
    return out
  },
}
`

const ENGULFING_RSI = `// Price action: a bullish engulfing candle while the RSI is low; flat when the RSI is high or on
// a bearish engulfing candle.
interface P {
  period: number
  low: number
  high: number
}

export default {
  id: 'user.engulfing-rsi',
  version: 1,
  name: 'Engulfing + RSI',
  description: 'Long on a bullish engulfing bar with the RSI below low; flat on a bearish one or the RSI above high.',
  params: [
    { name: 'period', label: 'RSI period', default: 14, min: 2, max: 100, step: 1, unit: 'bars', integer: true },
    { name: 'low', default: 40, min: 1, max: 50, step: 1, unit: 'points' },
    { name: 'high', default: 65, min: 50, max: 99, step: 1, unit: 'points' },
  ],
  warmup: (p: P) => Math.max(p.period + 1, 2),
  signals(s, p: P, ta) {
    const r = ta.rsi(s.close, p.period)
    const e = ta.engulfing(s.open, s.high, s.low, s.close)
    const out = new Int8Array(s.close.length)
    for (let t = Math.max(p.period + 1, 2); t < out.length; t++) {
      if (e[t] > 0 && r[t] < p.low) out[t] = 1
      else if (e[t] < 0 || r[t] > p.high) out[t] = -1
    }
    return out
  },
}
`

const BOLLINGER = `// Mean reversion: long when the close falls below the lower Bollinger band, flat when it is back
// above the middle band.
interface P {
  period: number
  width: number
}

export default {
  id: 'user.bollinger-revert',
  version: 1,
  name: 'Bollinger reversion',
  description: 'Long below the lower band (period, width × sd), flat above the middle band.',
  params: [
    { name: 'period', default: 20, min: 2, max: 200, step: 1, unit: 'bars', integer: true },
    { name: 'width', label: 'Band width', default: 2, min: 0.5, max: 4, step: 0.1, unit: 'sd' },
  ],
  warmup: (p: P) => p.period - 1,
  signals(s, p: P, ta) {
    const b = ta.bbands(s.close, p.period, p.width, p.width)
    const out = new Int8Array(s.close.length)
    for (let t = p.period - 1; t < out.length; t++) {
      if (s.close[t] < b.lower[t]) out[t] = 1
      else if (s.close[t] > b.middle[t]) out[t] = -1
    }
    return out
  },
}
`

const DONCHIAN_JS = `// Channel breakout (plain JavaScript): long when the close breaks above the highest high of the
// bars before it and the ATR says the market moves enough; flat below the lowest low.
export default {
  id: 'user.donchian-atr',
  version: 1,
  name: 'Donchian breakout, ATR filter',
  description: 'Long above the prior lookback high when ATR / close >= minAtrRate; flat below the prior lookback low.',
  params: [
    { name: 'lookback', default: 20, min: 5, max: 200, step: 1, unit: 'bars', integer: true },
    { name: 'atrPeriod', default: 14, min: 2, max: 100, step: 1, unit: 'bars', integer: true },
    { name: 'minAtrRate', default: 0.001, min: 0, max: 0.05, step: 0.0005, unit: 'ratio' },
  ],
  warmup: (p) => Math.max(p.lookback, p.atrPeriod) + 1,
  signals(s, p, ta) {
    const n = s.close.length
    const atr = ta.atr(s.high, s.low, s.close, p.atrPeriod)
    const out = new Int8Array(n)
    for (let t = Math.max(p.lookback, p.atrPeriod) + 1; t < n; t++) {
      // The channel of the bars before t: bar t is compared with it, never included.
      let hi = -Infinity
      let lo = Infinity
      for (let k = t - p.lookback; k < t; k++) {
        if (s.high[k] > hi) hi = s.high[k]
        if (s.low[k] < lo) lo = s.low[k]
      }
      if (s.close[t] > hi && atr[t] / s.close[t] >= p.minAtrRate) out[t] = 1
      else if (s.close[t] < lo) out[t] = -1
    }
    return out
  },
}
`

export const TEMPLATES: readonly StrategyTemplate[] = [
  { key: 'rsi-cross', label: 'RSI cross', family: 'RSI', lang: 'ts', source: RSI_CROSS },
  { key: 'sma-cross', label: 'SMA cross', family: 'Trend', lang: 'ts', source: SMA_CROSS },
  { key: 'momentum', label: 'Momentum (ROC)', family: 'Momentum', lang: 'ts', source: MOMENTUM },
  { key: 'vol-breakout', label: 'Volatility breakout', family: 'Volatility breakout', lang: 'ts', source: VOLATILITY_BREAKOUT },
  { key: 'engulfing-rsi', label: 'Engulfing + RSI', family: 'Price action', lang: 'ts', source: ENGULFING_RSI },
  { key: 'bollinger-revert', label: 'Bollinger reversion', family: 'Mean reversion', lang: 'ts', source: BOLLINGER },
  { key: 'donchian-atr', label: 'Donchian breakout (JavaScript)', family: 'Channel breakout', lang: 'js', source: DONCHIAN_JS },
]

export const templateOf = (key: string): StrategyTemplate | undefined => TEMPLATES.find((t) => t.key === key)

/** The id a source declares (`id: 'user.…'`), read without running it; null when not found. */
export function declaredId(source: string): string | null {
  return /\bid\s*:\s*['"`](user\.[a-z][a-z0-9-]*)['"`]/.exec(source)?.[1] ?? null
}

/**
 * A template's source with its id made unique among `taken` (user.rsi-cross → user.rsi-cross-2),
 * so a second cell from the same template does not replace the first one's strategy.
 */
export function withUniqueId(source: string, taken: ReadonlySet<string>): string {
  const id = declaredId(source)
  if (id === null || !taken.has(id)) return source
  let n = 2
  while (taken.has(`${id}-${n}`)) n++
  return source.replace(/(\bid\s*:\s*['"`])user\.[a-z][a-z0-9-]*(['"`])/, `$1${id}-${n}$2`)
}
