// Issue 13, item 8: the optimize CLI refuses grids and data beyond what it can hold before building
// them: exit 2, one line saying what to change, no stack trace, within a few seconds and 500 MB.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, truncateSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { MAX_BARS, MAX_CANDLE_FILE_BYTES, MAX_CONFIG_BYTES } from '../../../edge/optimize/limits.ts'
import { buildSimPlan, identityClasses, MAX_COMBOS, planSweep, validateSweep } from '../../../shared/optimize/index.ts'
import { DEFAULT_EXEC_CONFIG } from '../../../shared/engine/types.ts'

const root = fileURLToPath(new URL('../../../', import.meta.url))
const cli = join(root, 'edge/optimize/cli.ts')
const rssHook = join(root, 'test/edge/optimize/report-rss.mjs')
const DAY = { market: 'KRW-BTC', fromMs: '2024-01-01T00:00:00Z', toMs: '2024-01-02T00:00:00Z' }

interface Refusal {
  code: number | null
  stderr: string
  ms: number
  rssMb: number
}

/** Runs the CLI in one process (node --import tsx, so the memory measured is the CLI's own). */
function runCli(args: string[]): Refusal {
  const dir = mkdtempSync(join(tmpdir(), 'optimize-limits-'))
  const rssFile = join(dir, 'rss')
  const t0 = performance.now()
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--import', rssHook, cli, ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, RSS_FILE: rssFile },
  })
  const ms = performance.now() - t0
  return { code: r.status, stderr: r.stderr, ms, rssMb: Number(readFileSync(rssFile, 'utf8')) / 1024 }
}

function runConfig(config: unknown): Refusal {
  const dir = mkdtempSync(join(tmpdir(), 'optimize-limits-'))
  writeFileSync(join(dir, 'sweep.json'), JSON.stringify(config))
  return runCli(['--config', join(dir, 'sweep.json'), '--out', join(dir, 'out'), '--workers', '1'])
}

/** Exit 2, exactly one line matching `what`, no stack trace, quick and small. */
function expectRefusal(r: Refusal, what: RegExp): void {
  expect(r.code, r.stderr).toBe(2)
  const lines = r.stderr.trimEnd().split('\n')
  expect(lines, r.stderr).toHaveLength(1)
  expect(lines[0]).toMatch(/^optimize: /)
  expect(lines[0]).toMatch(what)
  expect(r.stderr).not.toMatch(/\n\s+at |Error:/)
  // "Within a few seconds": most of this is starting node and compiling TypeScript.
  expect(r.ms).toBeLessThan(10_000)
  expect(r.rssMb).toBeLessThan(500)
}

describe('optimize CLI refuses what it cannot hold (item 8)', () => {
  it('refuses a range of 1e12 values, or with a 1e-300 step, before enumerating it', () => {
    expectRefusal(
      runConfig({ data: { synthetic: DAY }, strategyId: 'momentum', grid: { period: { min: 1, max: 1e12, step: 1 } } }),
      /grid\.period has 1,000,000,000,000 values.*raise its step or narrow min\/max/,
    )
    expectRefusal(
      runConfig({ data: { synthetic: DAY }, strategyId: 'scalping', grid: { takeRatio: { min: 0, max: 0.05, step: 1e-300 } } }),
      /grid\.takeRatio has 5\.00e\+298 values/,
    )
    expectRefusal(
      runConfig({ data: { synthetic: DAY }, strategyId: 'scalping', grid: { takeRatio: { min: -1e308, max: 1e308, step: 1 } } }),
      /grid\.takeRatio has infinitely many values/,
    )
  })

  it('refuses 49 million combos (under the old 50 million limit) up front, naming what to shrink', () => {
    const grid = {
      period: { min: 2, max: 100, step: 1 },
      oversold: { min: 5, max: 50, step: 1 },
      overbought: { min: 50, max: 95, step: 1 },
      stopLossRate: { min: 0, max: 0.0233, step: 0.0001 },
    }
    expectRefusal(
      runConfig({ data: { synthetic: DAY }, strategyId: 'rsi', grid }),
      /grid has 49,019,256 combos \(more than 10,000,000\): remove values or dimensions/,
    )
  })

  it('refuses a synthetic range of 1970–2070 (24 million bars) before generating it', () => {
    const data = { synthetic: { market: 'KRW-BTC', fromMs: '1970-01-01T00:00:00Z', toMs: '2070-01-01T00:00:00Z' } }
    expectRefusal(
      runConfig({ data, strategyId: 'momentum', grid: { period: [2, 3] } }),
      /24,194,880 minutes .*more than the 5,256,000 bars .*shorten fromMs\/toMs/,
    )
  })

  it('refuses a candle file or a config above their size limits without reading them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'optimize-limits-'))
    // Sparse files: the size is what stat reports, nothing is written.
    writeFileSync(join(dir, 'huge.csv'), '')
    truncateSync(join(dir, 'huge.csv'), MAX_CANDLE_FILE_BYTES + 1)
    writeFileSync(join(dir, 'sweep.json'), JSON.stringify({ data: { file: 'huge.csv' }, strategyId: 'momentum', grid: { period: [2, 3] } }))
    expectRefusal(runCli(['--config', join(dir, 'sweep.json')]), /huge\.csv: is 257 MB, more than the 256 MB the optimizer reads/)
    writeFileSync(join(dir, 'big.json'), '')
    truncateSync(join(dir, 'big.json'), MAX_CONFIG_BYTES + 1)
    expectRefusal(runCli(['--config', join(dir, 'big.json')]), /big\.json is 5 MB, more than the 4 MB/)
  })

  it('prints usage errors on one line', () => {
    expectRefusal(runCli(['--workers', 'many']), /--workers needs an integer ≥ 1.*usage: npm run optimize/)
    expectRefusal(runCli([]), /--config FILE is required; usage: /)
  })
})

describe('the combo limit is one the planner handles', () => {
  it('plans a sweep of exactly MAX_COMBOS combos (dense table, no Map)', () => {
    expect(MAX_COMBOS).toBeLessThan(2 ** 24)
    // 100 periods × 1000 stop-loss rates × 100 take-profit rates = 10,000,000.
    const spec = {
      strategyId: 'momentum',
      grid: {
        period: { min: 1, max: 100, step: 1 },
        stopLossRate: { min: 0, max: 0.0999, step: 0.0001 },
        takeProfitRate: { min: 0, max: 0.099, step: 0.001 },
      },
      exec: DEFAULT_EXEC_CONFIG,
    }
    const plan = planSweep(spec)
    expect(plan.comboCount).toBe(MAX_COMBOS)
    const sims = buildSimPlan(plan, identityClasses(100))
    expect(sims.simCount).toBe(MAX_COMBOS)
    expect(sims.repOf[MAX_COMBOS - 1]).toBe(MAX_COMBOS - 1)
    // One more value anywhere is refused with the limit's message.
    const over = validateSweep({ ...spec, grid: { ...spec.grid, period: { min: 1, max: 101, step: 1 } } })
    expect(over.ok).toBe(false)
    expect(!over.ok && over.errors.join()).toMatch(/10,100,000 combos \(more than 10,000,000\)/)
  }, 60_000)

  it('documents the data bound it enforces: ten years of 1m bars', () => {
    expect(MAX_BARS).toBe(10 * 365 * 1440)
  })
})
