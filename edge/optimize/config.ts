// The optimize CLI's config file (JSON): where the candles come from and the sweep to run.
// Expected input errors come back as a list of messages; see README.md for the format.
import { readFileSync, statSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import type { CandleSeries } from '../../shared/candles/index.ts'
import { DEFAULT_EXEC_CONFIG } from '../../shared/engine/types.ts'
import type { ExecConfig } from '../../shared/engine/types.ts'
import { validateSweep } from '../../shared/optimize/index.ts'
import type { SweepSpec } from '../../shared/optimize/index.ts'
import { generateMinuteCandles, resolveMarketSpec, SYNTHETIC_MARKETS } from '../../shared/synthetic/index.ts'
import { loadCandleFile } from './candle-file.ts'
import { MAX_BARS, MAX_CONFIG_BYTES, megabytes } from './limits.ts'

export type DataSource =
  | {
      readonly kind: 'synthetic'
      readonly market: keyof typeof SYNTHETIC_MARKETS
      readonly seed?: number
      readonly fromMs: number
      readonly toMs: number
    }
  | { readonly kind: 'file'; readonly path: string; readonly timeframe?: string }

/** Out-of-sample validation run after the sweep (bars are indices into the candle series). */
export type Validation =
  | {
      readonly kind: 'walkForward'
      readonly trainBars: number
      readonly testBars: number
      readonly stepBars?: number
      readonly anchored?: boolean
    }
  | { readonly kind: 'holdout'; readonly testFraction: number }

export interface OptimizeConfig {
  readonly data: DataSource
  readonly spec: SweepSpec
  readonly top: number
  readonly validation?: Validation
}

export type ConfigResult = { readonly ok: true; readonly config: OptimizeConfig } | { readonly ok: false; readonly errors: string[] }

const TOP_KEYS = [
  'data',
  'strategyId',
  'baseParams',
  'grid',
  'exec',
  'objective',
  'constraints',
  'fromBar',
  'toBar',
  'top',
  'walkForward',
  'holdout',
]

function timeOf(v: unknown): number {
  if (typeof v === 'number') return v
  if (typeof v === 'string') return Date.parse(v)
  return NaN
}

function parseData(raw: unknown, baseDir: string, errors: string[]): DataSource | undefined {
  if (typeof raw !== 'object' || raw === null) {
    errors.push('data must be { "synthetic": { … } } or { "file": "path" }')
    return undefined
  }
  const d = raw as Record<string, unknown>
  if (typeof d.file === 'string') {
    return { kind: 'file', path: resolve(baseDir, d.file), timeframe: typeof d.timeframe === 'string' ? d.timeframe : undefined }
  }
  const s = d.synthetic as Record<string, unknown> | undefined
  if (typeof s !== 'object' || s === null) {
    errors.push('data must be { "synthetic": { … } } or { "file": "path" }')
    return undefined
  }
  const market = s.market ?? 'KRW-BTC'
  if (typeof market !== 'string' || !Object.hasOwn(SYNTHETIC_MARKETS, market)) {
    errors.push(`data.synthetic.market must be one of ${Object.keys(SYNTHETIC_MARKETS).join(', ')}`)
    return undefined
  }
  const fromMs = timeOf(s.fromMs)
  const toMs = timeOf(s.toMs)
  if (!Number.isFinite(fromMs) || !Number.isFinite(toMs) || toMs <= fromMs) {
    errors.push('data.synthetic.fromMs/toMs must be epoch ms or ISO strings with toMs > fromMs')
    return undefined
  }
  if (s.seed !== undefined && !Number.isInteger(s.seed)) {
    errors.push('data.synthetic.seed must be an integer')
    return undefined
  }
  // The generator makes one bar per minute from its origin (2024-01-01) on: count them before
  // generating anything (1970–2070 would be 24 million bars, 3.8 GB).
  const preset = SYNTHETIC_MARKETS[market as keyof typeof SYNTHETIC_MARKETS]
  const startMs = Math.max(resolveMarketSpec(preset).originMs, fromMs)
  const minutes = Math.ceil((toMs - startMs) / 60_000)
  if (minutes > MAX_BARS) {
    const years = (minutes / 525_600).toFixed(1)
    errors.push(
      `data.synthetic spans ${minutes.toLocaleString('en-US')} minutes (${years} years of 1m bars), more than the ${MAX_BARS.toLocaleString('en-US')} bars (10 years) the optimizer holds in memory: shorten fromMs/toMs`,
    )
    return undefined
  }
  return { kind: 'synthetic', market: market as keyof typeof SYNTHETIC_MARKETS, seed: s.seed as number | undefined, fromMs, toMs }
}

function parseValidation(o: Record<string, unknown>, errors: string[]): Validation | undefined {
  if (o.walkForward !== undefined && o.holdout !== undefined) {
    errors.push('walkForward and holdout are exclusive: give one')
    return undefined
  }
  const isInt = (v: unknown, min: number): v is number => typeof v === 'number' && Number.isInteger(v) && v >= min
  if (o.walkForward !== undefined) {
    const w = o.walkForward as Record<string, unknown>
    if (typeof w !== 'object' || w === null) {
      errors.push('walkForward must be { "trainBars", "testBars", "stepBars"?, "anchored"? }')
      return undefined
    }
    const before = errors.length
    for (const k of Object.keys(w))
      if (!['trainBars', 'testBars', 'stepBars', 'anchored'].includes(k)) errors.push(`walkForward: unknown key '${k}'`)
    if (!isInt(w.trainBars, 2)) errors.push('walkForward.trainBars must be an integer ≥ 2')
    if (!isInt(w.testBars, 1)) errors.push('walkForward.testBars must be an integer ≥ 1')
    if (w.stepBars !== undefined && !(isInt(w.stepBars, 1) && (!isInt(w.testBars, 1) || w.stepBars >= w.testBars))) {
      errors.push('walkForward.stepBars must be an integer ≥ testBars (test windows never overlap)')
    }
    if (w.anchored !== undefined && typeof w.anchored !== 'boolean') errors.push('walkForward.anchored must be true or false')
    if (errors.length > before) return undefined
    return {
      kind: 'walkForward',
      trainBars: w.trainBars as number,
      testBars: w.testBars as number,
      ...(w.stepBars !== undefined ? { stepBars: w.stepBars as number } : {}),
      ...(w.anchored !== undefined ? { anchored: w.anchored as boolean } : {}),
    }
  }
  if (o.holdout !== undefined) {
    const h = o.holdout as Record<string, unknown>
    if (
      typeof h !== 'object' ||
      h === null ||
      Object.keys(h).some((k) => k !== 'testFraction') ||
      !(typeof h.testFraction === 'number' && h.testFraction > 0 && h.testFraction < 1)
    ) {
      errors.push('holdout must be { "testFraction": a number in (0, 1) }')
      return undefined
    }
    return { kind: 'holdout', testFraction: h.testFraction }
  }
  return undefined
}

/** Checks a parsed config; `baseDir` resolves a relative data.file. */
export function parseConfig(raw: unknown, baseDir: string): ConfigResult {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { ok: false, errors: ['config must be a JSON object'] }
  const o = raw as Record<string, unknown>
  const errors: string[] = []
  for (const k of Object.keys(o)) if (!TOP_KEYS.includes(k)) errors.push(`unknown config key '${k}' (known: ${TOP_KEYS.join(', ')})`)
  const data = parseData(o.data, baseDir, errors)
  if (o.exec !== undefined && (typeof o.exec !== 'object' || o.exec === null)) errors.push('exec must be an object')
  const exec = { ...DEFAULT_EXEC_CONFIG, ...(o.exec as Partial<ExecConfig> | undefined) } as ExecConfig
  const spec = {
    strategyId: o.strategyId,
    baseParams: o.baseParams,
    grid: o.grid ?? {},
    exec,
    objective: o.objective,
    constraints: o.constraints,
    fromBar: o.fromBar,
    toBar: o.toBar,
  } as SweepSpec
  const v = validateSweep(spec)
  if (!v.ok) errors.push(...v.errors)
  const top = o.top ?? 10
  if (!(typeof top === 'number' && Number.isInteger(top) && top >= 1)) errors.push('top must be an integer ≥ 1')
  const validation = parseValidation(o, errors)
  if (errors.length > 0 || data === undefined) return { ok: false, errors }
  return { ok: true, config: { data, spec, top: top as number, ...(validation !== undefined ? { validation } : {}) } }
}

export function readConfig(path: string): ConfigResult {
  let raw: unknown
  try {
    const bytes = statSync(path).size
    if (bytes > MAX_CONFIG_BYTES)
      return {
        ok: false,
        errors: [
          `${path} is ${megabytes(bytes)}, more than the ${megabytes(MAX_CONFIG_BYTES)} a config may have: use { min, max, step } ranges instead of long lists`,
        ],
      }
    raw = JSON.parse(readFileSync(path, 'utf8'))
  } catch (e) {
    return { ok: false, errors: [`cannot read ${path}: ${(e as Error).message}`] }
  }
  return parseConfig(raw, dirname(resolve(path)))
}

export function loadData(d: DataSource): CandleSeries {
  if (d.kind === 'file') return loadCandleFile(d.path, d.timeframe)
  const preset = SYNTHETIC_MARKETS[d.market]
  return generateMinuteCandles({ ...preset, seed: d.seed ?? preset.seed }, d.fromMs, d.toMs)
}
