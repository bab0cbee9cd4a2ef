import { describe, it, expect } from 'vitest'
import {
  sma,
  ema,
  rsi,
  atr,
  macd,
  cci,
  bbands,
  willr,
  engulfing,
  createSmaStream,
  createEmaStream,
  createRsiStream,
  createAtrStream,
  createMacdStream,
  createCciStream,
  createBbandsStream,
  createWillrStream,
  createEngulfingStream,
} from '../../../shared/indicators/index.ts'
import { expectIdentical, randomOhlcv } from './helpers.ts'

// Property: feeding bars one at a time reproduces the batch output bit for bit (NaN warm-up
// included), on random walks with flat runs, zero volumes, jumps and (seed parity) integer ticks.
const SEEDS = [1, 2, 3, 4, 5, 6]
const series = (seed: number) => randomOhlcv(seed, 400, seed % 2 === 0 ? 50_000_000 : 37, seed % 3 === 0)

function feed1(stream: { update(x: number): number }, x: Float64Array): Float64Array {
  const out = new Float64Array(x.length)
  for (let i = 0; i < x.length; i++) out[i] = stream.update(x[i]!)
  return out
}

function feedHlc(
  stream: { update(h: number, l: number, c: number): number },
  h: Float64Array,
  l: Float64Array,
  c: Float64Array,
): Float64Array {
  const out = new Float64Array(c.length)
  for (let i = 0; i < c.length; i++) out[i] = stream.update(h[i]!, l[i]!, c[i]!)
  return out
}

describe('streaming == batch, bit for bit', () => {
  for (const seed of SEEDS) {
    const s = series(seed)
    it(`sma / ema / rsi (seed ${seed})`, () => {
      for (const n of [2, 3, 14, 50]) {
        expectIdentical(feed1(createSmaStream(n), s.close), sma(s.close, n), `sma${n}`)
        expectIdentical(feed1(createEmaStream(n), s.close), ema(s.close, n), `ema${n}`)
        expectIdentical(feed1(createRsiStream(n), s.close), rsi(s.close, n), `rsi${n}`)
      }
    })
    it(`atr / cci / willr (seed ${seed})`, () => {
      for (const n of [1, 2, 14])
        expectIdentical(feedHlc(createAtrStream(n), s.high, s.low, s.close), atr(s.high, s.low, s.close, n), `atr${n}`)
      for (const n of [2, 5, 20]) {
        expectIdentical(feedHlc(createCciStream(n), s.high, s.low, s.close), cci(s.high, s.low, s.close, n), `cci${n}`)
        expectIdentical(feedHlc(createWillrStream(n), s.high, s.low, s.close), willr(s.high, s.low, s.close, n), `willr${n}`)
      }
    })
    it(`macd (seed ${seed})`, () => {
      for (const [f, sl, g] of [
        [12, 26, 9],
        [26, 12, 9],
        [3, 4, 2],
        [7, 7, 3],
      ] as const) {
        const stream = createMacdStream(f, sl, g)
        const m = new Float64Array(s.close.length)
        const sig = new Float64Array(s.close.length)
        const hist = new Float64Array(s.close.length)
        for (let i = 0; i < s.close.length; i++) {
          const line = stream.update(s.close[i]!)
          expect(Object.is(line, stream.macd) || Number.isNaN(line)).toBe(true)
          m[i] = Number.isNaN(line) ? Number.NaN : stream.macd
          sig[i] = Number.isNaN(line) ? Number.NaN : stream.signal
          hist[i] = Number.isNaN(line) ? Number.NaN : stream.hist
        }
        const b = macd(s.close, f, sl, g)
        expectIdentical(m, b.macd, `macd ${f},${sl},${g}`)
        expectIdentical(sig, b.signal, 'signal')
        expectIdentical(hist, b.hist, 'hist')
      }
    })
    it(`bbands / engulfing (seed ${seed})`, () => {
      for (const [n, ku, kd] of [
        [20, 2, 2],
        [5, 1, 3],
        [2, -0.5, 1.5],
      ] as const) {
        const stream = createBbandsStream(n, ku, kd)
        const up = new Float64Array(s.close.length)
        const mid = new Float64Array(s.close.length)
        const lo = new Float64Array(s.close.length)
        for (let i = 0; i < s.close.length; i++) {
          const v = stream.update(s.close[i]!)
          mid[i] = v
          up[i] = Number.isNaN(v) ? Number.NaN : stream.upper
          lo[i] = Number.isNaN(v) ? Number.NaN : stream.lower
        }
        const b = bbands(s.close, n, ku, kd)
        expectIdentical(mid, b.middle, `bb.middle ${n}`)
        expectIdentical(up, b.upper, 'bb.upper')
        expectIdentical(lo, b.lower, 'bb.lower')
      }
      const e = createEngulfingStream()
      const out = new Float64Array(s.close.length)
      for (let i = 0; i < out.length; i++) out[i] = e.update(s.open[i]!, s.high[i]!, s.low[i]!, s.close[i]!)
      expectIdentical(out, engulfing(s.open, s.high, s.low, s.close), 'engulfing')
    })
  }

  it('counts bars and validates periods like the batch functions', () => {
    const st = createSmaStream(3)
    st.update(1)
    st.update(2)
    expect(st.bars).toBe(2)
    expect(() => createSmaStream(1)).toThrow(RangeError)
    expect(() => createRsiStream(1)).toThrow(RangeError)
    expect(() => createMacdStream(12, 26, 1)).toThrow(RangeError)
    expect(() => createBbandsStream(20, Number.NaN, 2)).toThrow(RangeError)
  })
})
