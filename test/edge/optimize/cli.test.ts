// End to end: spawn the CLI (tsx) on tiny sweeps and check the files it writes.
import { describe, it, expect } from 'vitest'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { METRIC_NAMES } from '../../../shared/metrics/types.ts'
import { DEFAULT_EXEC_CONFIG } from '../../../shared/engine/types.ts'
import { runSweep, walkForwardWindows } from '../../../shared/optimize/index.ts'
import { loadData } from '../../../edge/optimize/config.ts'
import { sameMetric } from '../../shared/optimize/helpers.ts'
import { readResultsCsv } from '../../shared/optimize/results/read-csv.ts'

const root = fileURLToPath(new URL('../../../', import.meta.url))
const tsx = join(root, 'node_modules/.bin/tsx')
const cli = join(root, 'edge/optimize/cli.ts')

function run(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(tsx, [cli, ...args], { encoding: 'utf8', timeout: 60_000 })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

describe('optimize CLI', () => {
  it('runs a synthetic sweep on 2 workers and writes CSV + JSON equal to a direct sweep', () => {
    const dir = mkdtempSync(join(tmpdir(), 'optimize-cli-'))
    const config = {
      data: { synthetic: { market: 'KRW-BTC', seed: 5, fromMs: '2024-01-01T00:00:00Z', toMs: '2024-01-02T00:00:00Z' } },
      strategyId: 'ensemble',
      baseParams: { 'price-action.window': 30 },
      grid: { 'w.trend': [0, 1], threshold: { min: 0.1, max: 0.3, step: 0.1 }, orderType: ['market', 'limit'] },
      objective: 'totalReturn',
      top: 3,
    }
    writeFileSync(join(dir, 'sweep.json'), JSON.stringify(config))
    const r = run(['--config', join(dir, 'sweep.json'), '--out', join(dir, 'res'), '--workers', '2', '--chunk', '2'])
    expect(r.stderr).toMatch(/12\/12 combos/)
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/top 3 by totalReturn/)

    const text = readFileSync(join(dir, 'res.csv'), 'utf8')
    const csv = text.trim().split('\n')
    expect(csv[0]).toBe(['combo', 'w.trend', 'threshold', 'orderType', ...METRIC_NAMES, 'status'].join(','))
    expect(csv).toHaveLength(13)
    expect(csv[12]!.startsWith('11,1,0.3,limit,')).toBe(true)
    expect(text).not.toMatch(/(^|,)-?(NaN|Infinity)(,|$)/m)

    const json = JSON.parse(readFileSync(join(dir, 'res.json'), 'utf8'))
    expect(json.comboCount).toBe(12)
    expect(json.simulated + json.copied).toBe(12)
    expect(json.top).toHaveLength(3)
    // The same sweep in-process gives the same numbers as the CSV.
    const series = loadData({
      kind: 'synthetic',
      market: 'KRW-BTC',
      seed: 5,
      fromMs: Date.parse('2024-01-01T00:00:00Z'),
      toMs: Date.parse('2024-01-02T00:00:00Z'),
    })
    const direct = runSweep(series, { ...config, exec: DEFAULT_EXEC_CONFIG } as never).rows
    readResultsCsv(text).rows.forEach((row, c) => {
      expect(row.combo).toBe(c)
      row.metrics.forEach((v, m) => expect(sameMetric(v, direct[c * METRIC_NAMES.length + m]!)).toBe(true))
    })
  })

  it('reads a CSV candle file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'optimize-cli-'))
    const lines = ['time,open,high,low,close,volume']
    let p = 100_000
    for (let i = 0; i < 300; i++) {
      const o = p
      p = Math.round(p * (1 + 0.004 * Math.sin(i / 7)))
      lines.push(`${new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString()},${o},${Math.max(o, p) + 50},${Math.min(o, p) - 50},${p},1.5`)
    }
    writeFileSync(join(dir, 'candles.csv'), lines.join('\n'))
    writeFileSync(
      join(dir, 'sweep.json'),
      JSON.stringify({ data: { file: 'candles.csv' }, strategyId: 'momentum', grid: { period: [2, 3, 5] } }),
    )
    const r = run(['--config', join(dir, 'sweep.json'), '--out', join(dir, 'r'), '--workers', '1', '--quiet'])
    expect(r.code).toBe(0)
    expect(readFileSync(join(dir, 'r.csv'), 'utf8').trim().split('\n')).toHaveLength(4)
  })

  it('prints and writes the robustness report and a walk-forward validation', () => {
    const dir = mkdtempSync(join(tmpdir(), 'optimize-cli-'))
    const config = {
      data: { synthetic: { market: 'KRW-BTC', seed: 3, fromMs: '2024-01-01T00:00:00Z', toMs: '2024-01-11T00:00:00Z' } },
      strategyId: 'rsi',
      grid: { period: [10, 14, 20], oversold: [25, 30], stopLossRate: [0, 0.02] },
      exec: { orderType: 'market' },
      walkForward: { trainBars: 4320, testBars: 1440, stepBars: 2880 },
    }
    writeFileSync(join(dir, 'sweep.json'), JSON.stringify(config))
    const r = run(['--config', join(dir, 'sweep.json'), '--out', join(dir, 'wf'), '--workers', '2', '--quiet'])
    expect(r.stderr).toMatch(/^optimize: rsi, 12 combos × \d+ bars on 2 worker\(s\)\n$/)
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/deflated Sharpe \S+ \(PSR vs 0 /)
    expect(r.stdout).toMatch(/PBO \S+ \(CSCV, 4 blocks, 6 splits/)
    expect(r.stdout).toMatch(/plateau .* fragility/)
    const json = JSON.parse(readFileSync(join(dir, 'wf.json'), 'utf8'))
    // The generator leaves gaps (missing minutes): the windows follow the real bar count.
    const windows = walkForwardWindows(json.bars, { trainBars: 4320, testBars: 1440, stepBars: 2880 })
    expect(windows.length).toBeGreaterThanOrEqual(3)
    expect(r.stdout).toContain(`walk-forward (rolling, train 4320, test 1440, step 2880 bars): ${windows.length} window(s)`)
    const rb = json.robustness
    // Trials are the distinct simulations the sweep ran.
    expect(rb.dsr.trials).toBe(json.simulated)
    expect(rb.simCount).toBe(json.simulated)
    expect(rb.best.combo).toBe(json.top[0].combo)
    expect(rb.plateau.peak).toBe(json.top[0].score)
    expect(rb.dsr.observations).toBe(10)
    expect(rb.dsr.dsr).toBeLessThanOrEqual(rb.dsr.psr)
    expect(rb.pbo.pbo).toBeGreaterThanOrEqual(0)
    expect(rb.pbo.pbo).toBeLessThanOrEqual(1)
    expect(rb.pbo.blocks).toBe(4)
    const v = json.validation
    expect(v.kind).toBe('walkForward')
    expect(
      v.windows.map((w: { trainFrom: number; trainTo: number; testFrom: number; testTo: number }) => ({
        trainFrom: w.trainFrom,
        trainTo: w.trainTo,
        testFrom: w.testFrom,
        testTo: w.testTo,
      })),
    ).toEqual(windows)
    expect(v.windows[1].trainFrom).toBe(2880)
    expect(v.testBars).toBe(windows.length * 1440)
    expect(typeof v.metrics.totalReturn).toBe('number')
    for (const w of v.windows) {
      if (w.chosen === null) continue
      expect(w.chosen.combo).toBeGreaterThanOrEqual(0)
      expect(Object.keys(w.chosen.values)).toEqual(['period', 'oversold', 'stopLossRate'])
      expect(w.distinctTrials).toBe(12)
    }
  })

  it('holdout and --no-robustness; invalid validation configs exit 2', () => {
    const dir = mkdtempSync(join(tmpdir(), 'optimize-cli-'))
    const base = {
      data: { synthetic: { market: 'KRW-ETH', seed: 4, fromMs: '2024-01-01T00:00:00Z', toMs: '2024-01-03T00:00:00Z' } },
      strategyId: 'momentum',
      grid: { period: [3, 5, 8] },
      fromBar: 100,
    }
    writeFileSync(join(dir, 'h.json'), JSON.stringify({ ...base, holdout: { testFraction: 0.25 } }))
    const r = run(['--config', join(dir, 'h.json'), '--out', join(dir, 'hres'), '--workers', '1', '--quiet', '--no-robustness'])
    expect(r.code).toBe(0)
    expect(r.stdout).not.toMatch(/deflated Sharpe/)
    expect(r.stdout).toMatch(/holdout \(last 0.25 of the bars\): 1 window/)
    const json = JSON.parse(readFileSync(join(dir, 'hres.json'), 'utf8'))
    expect(json.robustness).toBeNull()
    // The holdout splits the trading window [100, 2880): bars before 100 are warm-up only.
    const split = 100 + Math.round((json.bars - 100) * 0.75)
    expect(json.validation.windows).toEqual([
      expect.objectContaining({ trainFrom: 100, trainTo: split, testFrom: split, testTo: json.bars }),
    ])

    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ ...base, holdout: { testFraction: 2 }, walkForward: { trainBars: 1 } }))
    const bad = run(['--config', join(dir, 'bad.json')])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/exclusive/)
    writeFileSync(join(dir, 'bad2.json'), JSON.stringify({ ...base, walkForward: { trainBars: 1, testBars: 10, stepBars: 5, extra: 1 } }))
    const bad2 = run(['--config', join(dir, 'bad2.json')])
    expect(bad2.code).toBe(2)
    expect(bad2.stderr).toMatch(/trainBars must be an integer ≥ 2/)
    expect(bad2.stderr).toMatch(/stepBars must be an integer ≥ testBars/)
    expect(bad2.stderr).toMatch(/unknown key 'extra'/)
    writeFileSync(join(dir, 'bad3.json'), JSON.stringify({ ...base, walkForward: { trainBars: 5000, testBars: 1000 } }))
    const bad3 = run(['--config', join(dir, 'bad3.json')])
    expect(bad3.code).toBe(2)
    expect(bad3.stderr).toMatch(/no window fits/)
  })

  it('bad config: exit 2 with every error listed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'optimize-cli-'))
    writeFileSync(
      join(dir, 'bad.json'),
      JSON.stringify({ data: { synthetic: { fromMs: 0 } }, strategyId: 'rsi', grid: { nope: [1] }, extra: 1 }),
    )
    const r = run(['--config', join(dir, 'bad.json')])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/unknown config key 'extra'/)
    expect(r.stderr).toMatch(/fromMs\/toMs/)
    expect(r.stderr).toMatch(/grid.nope: not a parameter of 'rsi'/)
    expect(run([]).code).toBe(2)
  })

  it('--checkpoint: a re-run of the same sweep resumes every chunk and writes the same results, robustness report included', () => {
    const dir = mkdtempSync(join(tmpdir(), 'optimize-cli-'))
    // 10 days: enough for a CSCV (4 blocks), which the resumed run computes from re-runs.
    const config = {
      data: { synthetic: { market: 'KRW-XRP', fromMs: '2024-01-01T00:00:00Z', toMs: '2024-01-11T00:00:00Z' } },
      strategyId: 'rsi',
      grid: { period: [5, 9], oversold: [25, 30], stopLossRate: [0, 0.01] },
    }
    writeFileSync(join(dir, 'sweep.json'), JSON.stringify(config))
    const args = (out: string): string[] => [
      '--config',
      join(dir, 'sweep.json'),
      '--out',
      join(dir, out),
      '--workers',
      '2',
      '--checkpoint',
      join(dir, 'cp.jsonl'),
      '--quiet',
    ]
    const first = run(args('a'))
    expect(first.code).toBe(0)
    expect(first.stdout).toMatch(/8 combos in .*: 8 simulated, 0 copied/)
    const second = run(args('b'))
    expect(second.code).toBe(0)
    expect(second.stdout).toMatch(/8 combos in .*: 8 simulated, 0 copied \(identical decisions\), 8 resumed from /)
    expect(readFileSync(join(dir, 'b.csv'), 'utf8')).toBe(readFileSync(join(dir, 'a.csv'), 'utf8'))
    const [a, b] = ['a', 'b'].map((p) => JSON.parse(readFileSync(join(dir, `${p}.json`), 'utf8')))
    expect(b.sweepId).toBe(a.sweepId)
    expect(a.robustness.pbo.blocks).toBe(4)
    expect(typeof a.robustness.pbo.pbo).toBe('number')
    expect({ ...b, elapsedMs: 0 }).toEqual({ ...a, elapsedMs: 0 })
  })
})
