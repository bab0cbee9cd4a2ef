// `npm run optimize -- --config sweep.json [--out PREFIX] [--workers N] [--chunk N] [--top N] [--checkpoint FILE] [--quiet] [--no-robustness]`
// Runs a sweep over a candle file or the synthetic generator on a worker_threads pool, prints a
// progress line on stderr (done/total, combos/s, ETA) and the top combos on stdout with the
// robustness report of the best one (unless --no-robustness) and the walk-forward / holdout
// validation when the config asks for it, and writes PREFIX.csv and PREFIX.json. With
// --checkpoint FILE finished chunks are appended to FILE and a re-run of the same sweep resumes
// from them. Exit codes: 0 done, 2 bad arguments/config/data, 1 a bug.
import { METRIC_COUNT, METRIC_INDEX } from '../../shared/metrics/types.ts'
import { bestCombos, comboAt, planSweep } from '../../shared/optimize/index.ts'
import type { RobustnessReport } from '../../shared/optimize/index.ts'
import type { SweepProgress } from '../../shared/optimize/coordinator/index.ts'
import { CandleFileError } from './candle-file.ts'
import { openCheckpointFile } from './checkpoint-file.ts'
import { loadData, readConfig } from './config.ts'
import { writeResults } from './output.ts'
import { createNodeSweepPool, defaultWorkerCount } from './pool.ts'
import { formatRobustness, formatValidation, runValidation, validationJson, validationWindows } from './robustness.ts'

interface CliArgs {
  config?: string
  out?: string
  workers?: number
  chunk?: number
  top?: number
  checkpoint?: string
  quiet: boolean
  robustness: boolean
}

class UsageError extends Error {}

const USAGE =
  'usage: npm run optimize -- --config sweep.json [--out PREFIX] [--workers N] [--chunk N] [--top N] [--checkpoint FILE] [--quiet] [--no-robustness]'

function parseArgs(argv: readonly string[]): CliArgs {
  const a: CliArgs = { quiet: false, robustness: true }
  const int = (name: string, v: string | undefined): number => {
    const n = Number(v)
    if (!Number.isInteger(n) || n < 1) throw new UsageError(`${name} needs an integer ≥ 1, got ${JSON.stringify(v)}`)
    return n
  }
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i]
    const v = argv[i + 1]
    switch (k) {
      case '--config':
        a.config = v
        i++
        break
      case '--out':
        a.out = v
        i++
        break
      case '--workers':
        a.workers = int(k, v)
        i++
        break
      case '--chunk':
        a.chunk = int(k, v)
        i++
        break
      case '--top':
        a.top = int(k, v)
        i++
        break
      case '--checkpoint':
        if (v === undefined) throw new UsageError('--checkpoint needs a file name')
        a.checkpoint = v
        i++
        break
      case '--quiet':
        a.quiet = true
        break
      case '--no-robustness':
        a.robustness = false
        break
      case '--help':
      case '-h':
        throw new UsageError('')
      default:
        throw new UsageError(`unknown argument ${JSON.stringify(k)}`)
    }
  }
  if (a.config === undefined) throw new UsageError('--config FILE is required')
  return a
}

function fmtMs(ms: number): string {
  if (!Number.isFinite(ms)) return '?'
  const s = Math.round(ms / 1000)
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`
}

function fmt(v: number): string {
  return Number.isFinite(v) ? (Math.abs(v) >= 1000 ? v.toFixed(0) : v.toPrecision(4)) : String(v)
}

async function main(argv: readonly string[]): Promise<number> {
  let args: CliArgs
  try {
    args = parseArgs(argv)
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(e.message ? `optimize: ${e.message}; ${USAGE}\n` : `${USAGE}\n`)
      return 2
    }
    throw e
  }
  const cfg = readConfig(args.config!)
  if (!cfg.ok) {
    // One line, every problem in it (a refusal is one line saying what to change).
    process.stderr.write(`optimize: invalid config ${args.config}: ${cfg.errors.join('; ')}\n`)
    return 2
  }
  const { data, spec } = cfg.config
  const top = args.top ?? cfg.config.top
  let series
  try {
    series = loadData(data)
  } catch (e) {
    if (e instanceof CandleFileError || e instanceof RangeError) {
      process.stderr.write(`optimize: ${e.message}\n`)
      return 2
    }
    throw e
  }
  const bars = series.close.length
  if ((spec.toBar ?? bars) > bars || bars < 2) {
    process.stderr.write(`optimize: the data has ${bars} bars; the sweep window does not fit\n`)
    return 2
  }
  const plan = planSweep(spec)
  const workers = Math.min(args.workers ?? defaultWorkerCount(), Math.max(1, plan.comboCount))
  const out = args.out ?? `optimize-${spec.strategyId}`
  process.stderr.write(`optimize: ${spec.strategyId}, ${plan.comboCount} combos × ${bars} bars on ${workers} worker(s)\n`)

  const validation = cfg.config.validation
  let windows
  try {
    windows = validation === undefined ? undefined : validationWindows(bars, spec, validation)
  } catch (e) {
    if (e instanceof RangeError) {
      process.stderr.write(`optimize: ${e.message}\n`)
      return 2
    }
    throw e
  }

  const pool = await createNodeSweepPool(workers)
  let lastPrint = 0
  const onProgress = (p: SweepProgress): void => {
    if (args.quiet) return
    const now = p.elapsedMs
    if (now - lastPrint < 250 && p.doneCombos < p.totalCombos) return
    lastPrint = now
    process.stderr.write(`\r  ${p.doneCombos}/${p.totalCombos} combos  ${p.combosPerSec.toFixed(0)} combos/s  ETA ${fmtMs(p.etaMs)}   `)
  }
  const store = args.checkpoint === undefined ? undefined : openCheckpointFile(args.checkpoint)
  let result
  let report: RobustnessReport | undefined
  let oos
  try {
    // With the report, the workers keep each simulation's per-block sums of daily returns as they
    // run it, so the report re-runs no simulation (only those resumed from a checkpoint).
    result = await pool.run(series, spec, {
      workSize: args.chunk,
      onProgress,
      store,
      request: { spec, data },
      ...(args.robustness ? { blockSums: {} } : {}),
    })
    if (!args.quiet) process.stderr.write('\n')
    // On the workers (coordinator/robustness.ts); the rows stay in this thread. A sweep resumed
    // whole from a checkpoint has no simulation plan yet: worker 0 makes one.
    if (args.robustness) report = await pool.robustness(series, spec, result)
    if (windows !== undefined) {
      if (!args.quiet) process.stderr.write(`optimize: ${validation!.kind}, ${windows.length} train sweep(s)\n`)
      oos = await runValidation(pool, series, spec, windows)
    }
  } finally {
    await pool.close()
    store?.close()
  }
  const best = bestCombos(result.rows, plan.comboCount, top, { objective: plan.objective, constraints: plan.constraints })
  const simulated = Number.isNaN(result.simulated) ? (report?.simCount ?? Number.NaN) : result.simulated
  const files = writeResults(out, {
    spec,
    plan,
    data,
    bars,
    rows: result.rows,
    simulated,
    elapsedMs: result.elapsedMs,
    workers,
    top: best,
    robustness: report ?? null,
    ...(oos !== undefined ? { validation: validationJson(validation!, oos) } : {}),
    ...(result.sweepId !== '' ? { sweepId: result.sweepId } : {}),
  })
  const resumed = result.resumedCombos > 0 ? `, ${result.resumedCombos} resumed from ${args.checkpoint}` : ''
  // Unknown only for a sweep resumed whole with --no-robustness (nothing planned it).
  const counts = Number.isNaN(simulated)
    ? 'simulations not counted'
    : `${simulated} simulated, ${plan.comboCount - simulated} copied (identical decisions)`
  process.stdout.write(`${plan.comboCount} combos in ${(result.elapsedMs / 1000).toFixed(2)} s: ${counts}${resumed}\n`)
  process.stdout.write(`top ${best.length} by ${plan.objective}:\n`)
  for (const [i, b] of best.entries()) {
    const off = b.combo * METRIC_COUNT
    const r = result.rows
    const values = Object.entries(comboAt(plan, b.combo).values)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ')
    process.stdout.write(
      `${String(i + 1).padStart(3)}. combo ${b.combo}  ${plan.objective}=${fmt(b.score)}  return=${fmt(r[off + METRIC_INDEX.totalReturn]!)}  ` +
        `maxDD=${fmt(r[off + METRIC_INDEX.maxDrawdown]!)}  trades=${r[off + METRIC_INDEX.trades]}  ${values}\n`,
    )
  }
  if (best.length === 0) process.stdout.write('  (no combo ranked: every score is NaN or fails a constraint)\n')
  if (report !== undefined) process.stdout.write(formatRobustness(report))
  if (oos !== undefined) process.stdout.write(formatValidation(validation!, oos))
  process.stdout.write(`wrote ${files.csv} and ${files.json}\n`)
  return 0
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
  },
  (e: unknown) => {
    process.stderr.write(`optimize: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`)
    process.exitCode = 1
  },
)
