// A sweep's label: its full spec (strategy and version, grid, fixed params, execution,
// objective, constraints, out-of-sample check) and the data it ran on (venue, market, timeframe,
// range, bars, content hash). Every checkpoint the cell writes and every result it shows carries
// one; a checkpoint whose label is not the run's is refused (README "Optimize cell"), so a result
// can never show under another spec. labelText is the one-line form the cell shows over its
// results and writes into the exports.
import type { TIMEFRAMES } from '../../../../shared/candles/index.ts'
import type { SweepSpec } from '../../../../shared/optimize/index.ts'
import { hashSeries } from '../../../../shared/optimize/index.ts'
import type { CandleSeries } from '../../../../shared/candles/index.ts'
import { stableJson } from '../../model/stable-json.ts'
import { fmtInt, fmtUtc } from '../data/format.ts'
import type { SeriesValue } from '../types.ts'
import type { Validation } from './params.ts'
import { labResolver } from './strategy.ts'

export interface DataIdentity {
  readonly venue: string
  readonly market: string
  readonly timeframe: (typeof TIMEFRAMES)[number]
  readonly fromMs: number
  readonly toMs: number
  readonly bars: number
  readonly firstBarMs: number | null
  readonly lastBarMs: number | null
  /** Content hash of the six candle columns (the sweep id's). */
  readonly hash: string
}

export interface SweepLabel {
  readonly version: 1
  /** hash: a user strategy's source (SHA-256), absent for built-ins. */
  readonly strategy: { readonly id: string; readonly version: number | null; readonly hash?: string }
  /** The sweep spec over the whole series (the holdout's train window is in `validation`). */
  readonly spec: SweepSpec
  readonly validation: Validation
  readonly data: DataIdentity
}

const hashes = new WeakMap<CandleSeries, string>()

/** hashSeries, once per series object (about 7 ms per 129,600 bars). */
export function dataHashOf(series: CandleSeries): string {
  let h = hashes.get(series)
  if (h === undefined) {
    h = hashSeries(series)
    hashes.set(series, h)
  }
  return h
}

export function dataIdentity(source: SeriesValue): DataIdentity {
  const t = source.series.time
  return {
    venue: source.key.venue,
    market: source.key.market,
    timeframe: source.key.timeframe,
    fromMs: source.fromMs,
    toMs: source.toMs,
    bars: t.length,
    firstBarMs: t.length > 0 ? t[0]! : null,
    lastBarMs: t.length > 0 ? t[t.length - 1]! : null,
    hash: dataHashOf(source.series),
  }
}

export function labelOf(spec: SweepSpec, validation: Validation, data: DataIdentity): SweepLabel {
  const hash = spec.strategyHash
  const version = labResolver(spec.strategyId, hash)?.version ?? null
  return { version: 1, strategy: { id: spec.strategyId, version, ...(hash === undefined ? {} : { hash }) }, spec, validation, data }
}

/** Equal labels give equal keys (object key order does not matter). */
export const labelKey = (l: SweepLabel): string => stableJson(l)

export const sameLabel = (a: SweepLabel, b: SweepLabel): boolean => labelKey(a) === labelKey(b)

/** The spec part of a label, comparable with the cell's inputs without the data. */
export const specKey = (l: Pick<SweepLabel, 'spec' | 'validation'>): string => stableJson({ spec: l.spec, validation: l.validation })

/** "holdout: last 25 %", "walk-forward (rolling): train 1,440 / test 360 bars", "none". */
export function validationText(v: Validation): string {
  if (v.kind === 'none') return 'no out-of-sample check'
  if (v.kind === 'holdout') return `holdout: last ${Number((v.testFraction * 100).toFixed(1))}% of the bars`
  return `walk-forward (${v.anchored ? 'anchored' : 'rolling'}): train ${fmtInt(v.trainBars)} / test ${fmtInt(v.testBars)}${v.stepBars === null ? '' : ` / step ${fmtInt(v.stepBars)}`} bars`
}

function valuesText(spec: SweepSpec): string {
  const parts = Object.entries(spec.grid).map(([k, g]) =>
    Array.isArray(g)
      ? `${k} ∈ {${g.join(', ')}}`
      : `${k} ${(g as { min: number }).min}…${(g as { max: number }).max} step ${(g as { step: number }).step}`,
  )
  return parts.length > 0 ? parts.join('; ') : 'no varying parameter'
}

/** The one-line label: strategy, combos, grid, objective and constraints, check, data. */
export function labelText(l: SweepLabel, combos: number): string {
  const c = l.spec.constraints
  const cons = [`≥ ${fmtInt(c?.minTrades ?? 0)} trades`]
  if (c?.maxDrawdown !== undefined) cons.push(`max DD ≥ ${(c.maxDrawdown * 100).toFixed(0)}%`)
  const d = l.data
  const range = d.firstBarMs === null || d.lastBarMs === null ? 'no bars' : `${fmtUtc(d.firstBarMs)} → ${fmtUtc(d.lastBarMs)} UTC`
  return [
    `${l.strategy.id} v${l.strategy.version ?? '?'}${l.strategy.hash === undefined ? '' : ` #${l.strategy.hash.slice(0, 8)}`}`,
    `${fmtInt(combos)} combos: ${valuesText(l.spec)}`,
    `${l.spec.objective ?? 'sharpe'}, ${cons.join(', ')}`,
    validationText(l.validation),
    `${d.venue} ${d.market} ${d.timeframe} ${range} (${fmtInt(d.bars)} bars, data ${d.hash.slice(0, 8)})`,
  ].join(' · ')
}
