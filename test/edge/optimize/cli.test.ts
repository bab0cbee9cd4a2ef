// End to end: spawn the CLI (tsx) on tiny sweeps and check the files it writes.
import { describe, it, expect } from 'vitest'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { METRIC_NAMES } from '../../../shared/metrics/types.ts'
import { DEFAULT_EXEC_CONFIG } from '../../../shared/engine/types.ts'
import { runSweep } from '../../../shared/optimize/index.ts'
import { loadData } from '../../../edge/optimize/config.ts'
import { sameMetric } from '../../shared/optimize/helpers.ts'

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

    const csv = readFileSync(join(dir, 'res.csv'), 'utf8').trim().split('\n')
    expect(csv[0]).toBe(['combo', 'w.trend', 'threshold', 'orderType', ...METRIC_NAMES].join(','))
    expect(csv).toHaveLength(13)
    expect(csv[12]!.startsWith('11,1,0.3,limit,')).toBe(true)

    const json = JSON.parse(readFileSync(join(dir, 'res.json'), 'utf8'))
    expect(json.comboCount).toBe(12)
    expect(json.simulated + json.copied).toBe(12)
    expect(json.top).toHaveLength(3)
    // The same sweep in-process gives the same numbers as the CSV.
    const series = loadData({ kind: 'synthetic', market: 'KRW-BTC', seed: 5, fromMs: Date.parse('2024-01-01T00:00:00Z'), toMs: Date.parse('2024-01-02T00:00:00Z') })
    const direct = runSweep(series, { ...config, exec: DEFAULT_EXEC_CONFIG } as never).rows
    csv.slice(1).forEach((line, c) => {
      const cells = line.split(',').slice(4).map(Number)
      cells.forEach((v, m) => expect(sameMetric(v, direct[c * METRIC_NAMES.length + m]!)).toBe(true))
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
    writeFileSync(join(dir, 'sweep.json'), JSON.stringify({ data: { file: 'candles.csv' }, strategyId: 'momentum', grid: { period: [2, 3, 5] } }))
    const r = run(['--config', join(dir, 'sweep.json'), '--out', join(dir, 'r'), '--workers', '1', '--quiet'])
    expect(r.code).toBe(0)
    expect(readFileSync(join(dir, 'r.csv'), 'utf8').trim().split('\n')).toHaveLength(4)
  })

  it('bad config: exit 2 with every error listed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'optimize-cli-'))
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ data: { synthetic: { fromMs: 0 } }, strategyId: 'rsi', grid: { nope: [1] }, extra: 1 }))
    const r = run(['--config', join(dir, 'bad.json')])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/unknown config key 'extra'/)
    expect(r.stderr).toMatch(/fromMs\/toMs/)
    expect(r.stderr).toMatch(/grid.nope: not a parameter of 'rsi'/)
    expect(run([]).code).toBe(2)
  })
})
