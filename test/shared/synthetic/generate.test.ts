import { describe, it, expect } from 'vitest'
import {
  generateMinuteCandles,
  generateCandles,
  createMinuteStream,
  createMinuteBar,
  resolveMarketSpec,
  SYNTHETIC_MARKETS,
  DEFAULT_ORIGIN_MS,
} from '../../../shared/synthetic/index.ts'
import type { MarketSpec } from '../../../shared/synthetic/index.ts'
import { resample, rowsFromSeries, sliceByTime, validateSeries } from '../../../shared/candles/index.ts'
import type { CandleSeries } from '../../../shared/candles/index.ts'
import { isOnKrwTick } from '../../../shared/upbit/ticks.ts'

const M = 60_000
const D = 86_400_000
const O = DEFAULT_ORIGIN_MS

function columns(s: CandleSeries): number[][] {
  return [s.time, s.open, s.high, s.low, s.close, s.volume].map((c) => Array.from(c))
}

/** FNV-1a over the raw IEEE bytes of every column: any change to any bit changes it. */
function checksum(s: CandleSeries): string {
  let h = 0x811c9dc5
  for (const col of [s.time, s.open, s.high, s.low, s.close, s.volume]) {
    const bytes = new Uint8Array(col.buffer, col.byteOffset, col.byteLength)
    for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193) >>> 0
  }
  return h.toString(16).padStart(8, '0')
}

// KRW-BTC preset, 2024-01-02T00:00Z + 240 minutes. Regenerate deliberately after a model change.
const GOLDEN = { bars: 239, firstBar: [89_011_000, 89_029_000, 88_886_000, 88_930_000, 1.72022939], checksum: '493b1532' }

describe('generateMinuteCandles', () => {
  it('is deterministic: same spec, identical arrays; another seed, different ones', () => {
    const spec: MarketSpec = { seed: 77, startPrice: 50_000_000 }
    const a = generateMinuteCandles(spec, O, O + D)
    const b = generateMinuteCandles({ ...spec }, O, O + D)
    expect(columns(b)).toEqual(columns(a))
    const c = generateMinuteCandles({ ...spec, seed: 78 }, O, O + D)
    expect(Array.from(c.close)).not.toEqual(Array.from(a.close))
  })

  it('cuts any sub-range out of the one path anchored at originMs', () => {
    // Sub-range first with a fresh seed (no checkpoints yet), then the long range, then again.
    const spec: MarketSpec = { ...SYNTHETIC_MARKETS['KRW-ETH'], seed: 9001 }
    const from = O + D + 123 * M
    const to = O + 2 * D + 7 * M
    const sub = generateMinuteCandles(spec, from, to)
    const long = generateMinuteCandles(spec, O, O + 3 * D)
    expect(columns(sub)).toEqual(columns(sliceByTime(long, from, to)))
    expect(columns(generateMinuteCandles(spec, from, to))).toEqual(columns(sub))
    // Unaligned bounds: bars are those with open time in [from, to).
    expect(columns(generateMinuteCandles(spec, from - 30_000, to + 1))).toEqual(columns(sliceByTime(long, from - 30_000, to + 1)))
  })

  it('has no bars before originMs and none for empty ranges', () => {
    const spec = SYNTHETIC_MARKETS['KRW-BTC']
    const s = generateMinuteCandles(spec, O - 10 * M, O + 10 * M)
    expect(s.time[0]).toBe(O)
    expect(columns(s)).toEqual(columns(generateMinuteCandles(spec, O, O + 10 * M)))
    expect(generateMinuteCandles(spec, O + M, O + M).time.length).toBe(0)
    expect(generateMinuteCandles(spec, O - D, O).time.length).toBe(0)
    expect(() => generateMinuteCandles(spec, Number.NaN, O)).toThrow(RangeError)
  })

  it.each(Object.entries(SYNTHETIC_MARKETS))('%s: valid 1m series with every price on the KRW tick ladder', (_name, spec) => {
    const s = generateMinuteCandles(spec, O, O + 5 * D)
    expect(validateSeries(s, '1m')).toEqual({ ok: true })
    let offTick = 0
    for (const col of [s.open, s.high, s.low, s.close]) for (let i = 0; i < col.length; i++) if (!isOnKrwTick(col[i]!)) offTick++
    expect(offTick).toBe(0)
    expect(s.close[0]! / spec.startPrice).toBeGreaterThan(0.97)
    expect(s.close[0]! / spec.startPrice).toBeLessThan(1.03)
    for (const tf of ['5m', '60m', '1d'] as const) expect(validateSeries(generateCandles(spec, tf, O, O + 5 * D), tf)).toEqual({ ok: true })
  })

  it('generateCandles is the resample of the 1m bars', () => {
    const spec = SYNTHETIC_MARKETS['KRW-XRP']
    const from = O + 2 * D
    const to = O + 4 * D
    expect(columns(generateCandles(spec, '15m', from, to))).toEqual(columns(resample(generateMinuteCandles(spec, from, to), '15m')))
    expect(columns(generateCandles(spec, '1m', from, to))).toEqual(columns(generateMinuteCandles(spec, from, to)))
  })

  it('matches the golden checksum of a small seeded range (update deliberately when the model changes)', () => {
    const s = generateMinuteCandles(SYNTHETIC_MARKETS['KRW-BTC'], O + D, O + D + 240 * M)
    expect(s.time.length).toBe(GOLDEN.bars)
    expect([s.open[0], s.high[0], s.low[0], s.close[0], s.volume[0]]).toEqual(GOLDEN.firstBar)
    expect(checksum(s)).toBe(GOLDEN.checksum)
  })
})

describe('createMinuteStream', () => {
  it('continues minute by minute exactly like the batch generator, from any start', () => {
    const spec = SYNTHETIC_MARKETS['KRW-DOGE']
    const start = O + 3 * D - 30 * M // crosses a day block boundary
    const stream = createMinuteStream(spec, start)
    const bar = createMinuteBar()
    const batch = generateMinuteCandles(spec, start, start + 120 * M)
    const rows = rowsFromSeries(batch)
    let k = 0
    for (let i = 0; i < 120; i++) {
      expect(stream.nextMinuteMs).toBe(start + i * M)
      const traded = stream.next(bar)
      expect(bar.timeMs).toBe(start + i * M)
      expect(bar.traded).toBe(traded)
      if (!traded) continue
      expect({ timeMs: bar.timeMs, open: bar.open, high: bar.high, low: bar.low, close: bar.close, volume: bar.volume }).toEqual(rows[k])
      k++
    }
    expect(k).toBe(rows.length)
  })

  it('rejects starts that are unaligned or before originMs', () => {
    const spec = SYNTHETIC_MARKETS['KRW-BTC']
    expect(() => createMinuteStream(spec, O + 1)).toThrow(RangeError)
    expect(() => createMinuteStream(spec, O - M)).toThrow(RangeError)
    expect(createMinuteStream(spec).nextMinuteMs).toBe(O)
  })

  it('rejects invalid specs', () => {
    expect(() => resolveMarketSpec({ seed: 1.5, startPrice: 1 })).toThrow(/seed/)
    expect(() => resolveMarketSpec({ seed: 1, startPrice: -1 })).toThrow(/startPrice/)
    expect(() => resolveMarketSpec({ seed: 1, startPrice: 1, originMs: O + 1 })).toThrow(/originMs/)
    expect(() => resolveMarketSpec({ seed: 1, startPrice: 1, garchAlpha: 0.5, garchBeta: 0.6 })).toThrow(/garch/)
    expect(resolveMarketSpec({ seed: 1, startPrice: 1 }).originMs).toBe(Date.UTC(2024, 0, 1))
  })
})
