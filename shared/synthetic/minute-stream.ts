// The synthetic market's minute-by-minute process. One step = one UTC minute from originMs:
// regime switch (Markov chain), GARCH(1,1)-scaled diffusive return plus drift, Poisson jumps with
// Pareto sizes, open gap, high/low from the exact Brownian-bridge extremes, volume with intraday
// seasonality and persistence, and a no-trade draw that is likelier when volume is thin (no bar,
// as on Upbit). Prices are rounded to the KRW tick ladder. Only createRng draws, IEEE arithmetic,
// detExp/detLog and the ziggurat in normal.ts are used, so every engine produces the same bits.
//
// Reproducibility: the rng is re-seeded at every day block from (seed, block), so the state at a
// block start is four numbers. Checkpoints of those are memoised per spec, which lets a stream
// start at any minute after simulating at most one day (plus, once, the days before it).
import { createRng } from '../random.ts'
import type { Rng } from '../random.ts'
import { MINUTE_MS } from '../candles/types.ts'
import { roundKrwPrice } from '../upbit/ticks.ts'
import { detExp, detExpSmall, detLog } from './det-math.ts'
import { zigguratNormal } from './normal.ts'
import { BLOCK_MINUTES, REGIMES, buildMarketModel } from './spec.ts'
import type { MarketModel, MarketSpec, RegimeKind, ResolvedMarketSpec } from './spec.ts'

/** One minute, written in place by MinuteStream.next (reuse one record; no allocation per bar). */
export interface MinuteBar {
  timeMs: number
  /** False when nobody traded that minute: no candle exists and the OHLCV fields are stale. */
  traded: boolean
  open: number
  high: number
  low: number
  close: number
  volume: number
  /** Diagnostics: the regime in force and the jump (log-return) that happened this minute, or 0. */
  regime: RegimeKind
  jumpLogReturn: number
}

export function createMinuteBar(): MinuteBar {
  return { timeMs: 0, traded: false, open: 0, high: 0, low: 0, close: 0, volume: 0, regime: 'calm', jumpLogReturn: 0 }
}

export interface MinuteStream {
  readonly spec: ResolvedMarketSpec
  /** Open time of the minute the next call to `next` produces. */
  readonly nextMinuteMs: number
  /** Simulates the next minute into `out`; returns whether it traded (i.e. has a candle). */
  next(out: MinuteBar): boolean
}

const VOLUME_AR_PHI = 0.98
const VOLUME_AR_SIGMA = 0.1
const VOLUME_NOISE_SIGMA = 0.3
/** Log-space mean correction (−σ²/2 of the AR and noise terms) so the volume multiplier averages ~1. */
const VOLUME_LOG_CORRECTION =
  -0.5 * ((VOLUME_AR_SIGMA * VOLUME_AR_SIGMA) / (1 - VOLUME_AR_PHI * VOLUME_AR_PHI) + VOLUME_NOISE_SIGMA * VOLUME_NOISE_SIGMA)
const MAX_JUMP_LOG = 0.15
const MAX_SHOCK_SQ = 100
const STATE_WIDTH = 4 // logPrice, garch g, regime, volume AR

// Checkpoints: per spec key, the state at the start of each block, STATE_WIDTH numbers per block.
const MAX_CACHED_SPECS = 8
const checkpoints = new Map<string, number[]>()

function checkpointsFor(key: string): number[] {
  let cp = checkpoints.get(key)
  if (cp !== undefined) {
    checkpoints.delete(key) // refresh recency
  } else {
    cp = []
    if (checkpoints.size >= MAX_CACHED_SPECS) checkpoints.delete(checkpoints.keys().next().value!)
  }
  checkpoints.set(key, cp)
  return cp
}

function blockSeed(seed: number, block: number): number {
  let h = (seed ^ 0x5bd1e995) >>> 0
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 0
  h = (h + Math.imul(block + 1, 0x9e3779b1)) >>> 0
  h = Math.imul(h ^ (h >>> 12), 0x297a2d39) >>> 0
  return (h ^ (h >>> 15)) >>> 0
}

class SyntheticMinuteStream implements MinuteStream {
  readonly spec: ResolvedMarketSpec
  private readonly m: MarketModel
  private readonly cp: number[]
  private minuteIndex = 0
  /** UTC minute of day of minuteIndex, kept incrementally (float % is a slow library call). */
  private minuteOfDay = 0
  private rng: Rng
  // Block-start state (see STATE_WIDTH).
  private logPrice: number
  /** detExp(logPrice), carried so a minute without a gap opens exactly at the last close. */
  private price: number
  private g = 1
  private regime = 0
  private volAr = 0

  constructor(model: MarketModel, startMinute: number) {
    this.m = model
    this.spec = model.spec
    this.cp = checkpointsFor(model.key)
    this.logPrice = detLog(model.spec.startPrice)
    this.price = 0
    this.rng = createRng(0)
    // Resume from the latest known block start at or before startMinute, then walk.
    const wantBlock = Math.floor(startMinute / BLOCK_MINUTES)
    const known = this.cp.length / STATE_WIDTH
    const block = Math.min(wantBlock, known - 1)
    if (block >= 0) {
      const o = block * STATE_WIDTH
      this.logPrice = this.cp[o]!
      this.g = this.cp[o + 1]!
      this.regime = this.cp[o + 2]!
      this.volAr = this.cp[o + 3]!
      this.minuteIndex = block * BLOCK_MINUTES
    }
    this.price = detExp(this.logPrice)
    this.minuteOfDay = (((model.spec.originMs / MINUTE_MS + this.minuteIndex) % 1440) + 1440) % 1440
    this.enterBlockIfStart()
    while (this.minuteIndex < startMinute) this.step(null)
  }

  get nextMinuteMs(): number {
    return this.spec.originMs + this.minuteIndex * MINUTE_MS
  }

  next(out: MinuteBar): boolean {
    return this.step(out)
  }

  private enterBlockIfStart(): void {
    if (this.minuteIndex % BLOCK_MINUTES !== 0) return
    const block = this.minuteIndex / BLOCK_MINUTES
    if (this.cp.length === block * STATE_WIDTH) this.cp.push(this.logPrice, this.g, this.regime, this.volAr)
    this.rng = createRng(blockSeed(this.spec.seed, block))
  }

  private step(out: MinuteBar | null): boolean {
    const m = this.m
    const rng = this.rng
    const minuteOfDay = this.minuteOfDay

    // One draw decides the rare events: regime end (geometric durations, next regime from its
    // row, rescaling the same draw) or else a jump in the regime in force.
    let r = this.regime
    const uEvent = rng.next()
    const leave = m.leaveProb[r]!
    if (uEvent < leave) {
      const u = uEvent / leave
      let j = 0
      while (j < 3 && u >= m.nextCum[r * 4 + j]!) j++
      r = this.regime = j
    }

    const sigma = m.sigmaPerMinute * m.volMult[r]! * m.volSeason[minuteOfDay]! * Math.sqrt(this.g)
    const z = zigguratNormal(rng)
    let ret = m.driftPerMinute[r]! + sigma * z

    let jump = 0
    if (uEvent >= leave && uEvent - leave < m.jumpProbPerMinute[r]!) {
      // Pareto(3) size above the scale; trends bias the sign, and a jump often turns turbulent.
      const size = Math.min(MAX_JUMP_LOG, this.spec.jumpScaleRate * detExp(-detLog(1 - rng.next()) / 3))
      const up = r === 1 ? rng.next() < 0.65 : r === 2 ? rng.next() < 0.35 : rng.next() < 0.5
      jump = up ? size : -size
      ret += jump
      if (rng.next() < 0.3) this.regime = 3
    }

    let openLog = this.logPrice
    let openP = this.price
    if (rng.next() < this.spec.openGapRate) {
      const gap = 0.25 * sigma * zigguratNormal(rng)
      openLog += gap
      openP *= detExpSmall(gap)
    }
    const closeLog = openLog + ret
    const closeP = detExp(closeLog)
    const d = closeLog - openLog
    const s2 = sigma * sigma
    // Extremes of a Brownian bridge from openLog to closeLog with variance s2 over the minute;
    // two 16-bit uniforms in (0, 1] from one draw (caps the excursion near 4.7 sigma).
    const bits32 = rng.next() * 4294967296
    const uHigh = (Math.floor(bits32 / 65536) + 1) / 65536
    const uLow = ((bits32 & 0xffff) + 1) / 65536
    const highLog = 0.5 * (openLog + closeLog + Math.sqrt(d * d - 2 * s2 * detLog(uHigh)))
    const lowLog = 0.5 * (openLog + closeLog - Math.sqrt(d * d - 2 * s2 * detLog(uLow)))

    const shock = sigma > 0 ? (ret - m.driftPerMinute[r]!) / sigma : 0
    const absZ = z < 0 ? -z : z
    this.volAr = VOLUME_AR_PHI * this.volAr + VOLUME_AR_SIGMA * zigguratNormal(rng)
    const relLogNotional =
      m.volumeBoostLog[r]! +
      this.volAr +
      VOLUME_LOG_CORRECTION +
      0.35 * (absZ - 0.8) +
      (jump !== 0 ? 0.7 : 0) +
      VOLUME_NOISE_SIGMA * zigguratNormal(rng)
    const relNotional = m.volumeSeason[minuteOfDay]! * detExp(relLogNotional)
    // Thin minutes are likelier to see no trade at all: p ∝ relNotional^-1.5.
    const pNoTrade = Math.min(0.97, this.spec.noTradeRate / (relNotional * Math.sqrt(relNotional)))
    const traded = rng.next() >= pNoTrade

    if (out !== null) {
      out.timeMs = this.nextMinuteMs
      out.traded = traded
      out.regime = REGIMES[r]!
      out.jumpLogReturn = jump
      if (traded) {
        const o = roundKrwPrice(openP, 'nearest')
        const c = roundKrwPrice(closeP, 'nearest')
        // Extremes relative to the nearer endpoint: small exponents, cheap and exact enough.
        const upSide = closeLog > openLog
        let h = roundKrwPrice((upSide ? closeP : openP) * detExpSmall(highLog - (upSide ? closeLog : openLog)), 'up')
        let l = roundKrwPrice((upSide ? openP : closeP) * detExpSmall(lowLog - (upSide ? openLog : closeLog)), 'down')
        const hiOc = o > c ? o : c
        const loOc = o < c ? o : c
        if (h < hiOc) h = hiOc
        if (l > loOc || !(l > 0)) l = loOc
        out.open = o
        out.high = h
        out.low = l
        out.close = c
        const notional = this.spec.meanNotionalQuotePerMinute * relNotional
        const vol = Math.round((notional / c) * 1e8) / 1e8
        out.volume = vol > 0 ? vol : 1e-8
      }
    }

    // GARCH(1,1) on the standardised shock (jumps included, capped): variance clusters.
    const e2 = Math.min(MAX_SHOCK_SQ, shock * shock)
    const a = this.spec.garchAlpha
    const b = this.spec.garchBeta
    this.g = 1 - a - b + (a * e2 + b) * this.g
    this.logPrice = closeLog
    this.price = closeP
    this.minuteIndex++
    this.minuteOfDay = minuteOfDay === 1439 ? 0 : minuteOfDay + 1
    this.enterBlockIfStart()
    return traded
  }
}

/**
 * A stream of minutes from `startMs` (default: the spec's originMs; must be minute-aligned and not
 * before originMs). The same spec gives the same minutes whatever the start.
 */
export function createMinuteStream(spec: MarketSpec, startMs?: number): MinuteStream {
  const model = buildMarketModel(spec)
  const origin = model.spec.originMs
  const start = startMs ?? origin
  if (!Number.isInteger(start) || start % MINUTE_MS !== 0 || start < origin) {
    throw new RangeError(`stream start must be a minute-aligned time at or after originMs ${origin}, got ${start}`)
  }
  return new SyntheticMinuteStream(model, (start - origin) / MINUTE_MS)
}
