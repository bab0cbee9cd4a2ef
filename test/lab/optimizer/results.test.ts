// One results writer for the lab and the CLI: the same sweep run by the CLI (worker threads,
// files) and by the lab's controller (its download buttons' documents) gives the same JSON (shape
// and numbers; only where the data came from, the timing and the checkpoint id differ) and the
// same CSV.
import 'fake-indexeddb/auto'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { exportParts } from '../../../lab/optimizer/results.ts'
import { SweepController } from '../../../lab/optimizer/sweep-controller.svelte.ts'
import { directFactory, newLog } from '../../shared/optimize/coordinator/fixtures.ts'

const root = fileURLToPath(new URL('../../../', import.meta.url))

/** The document without what legitimately differs between the two runs. */
function comparable(doc: Record<string, unknown>): Record<string, unknown> {
  const { data: _data, elapsedMs, sweepId, ...rest } = doc
  expect(typeof elapsedMs).toBe('number')
  expect(sweepId).toMatch(/^sw1-[0-9a-f]{16}$/)
  return rest
}

describe('lab and CLI results', () => {
  it('the same sweep gives the same JSON document and CSV from both', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'results-lab-cli-'))
    // One day of the KRW-BTC preset from the generator's origin: the lab's { days: 1 }.
    const config = {
      data: { synthetic: { market: 'KRW-BTC', fromMs: '2024-01-01T00:00:00Z', toMs: '2024-01-02T00:00:00Z' } },
      strategyId: 'rsi',
      grid: { period: [5, 9, 14], oversold: [25, 30], orderType: ['market', 'limit'] },
      top: 5,
    }
    writeFileSync(join(dir, 'sweep.json'), JSON.stringify(config))
    const args = [
      join(root, 'edge/optimize/cli.ts'),
      '--config',
      join(dir, 'sweep.json'),
      '--out',
      join(dir, 'cli'),
      '--workers',
      '2',
      '--checkpoint',
      join(dir, 'cp.jsonl'),
      '--quiet',
    ]
    const cli = spawnSync(join(root, 'node_modules/.bin/tsx'), args, { encoding: 'utf8', timeout: 60_000 })
    expect(cli.stderr).toMatch(/^optimize: rsi, 12 combos × \d+ bars on 2 worker\(s\)\n$/)
    expect(cli.status).toBe(0)
    const cliJson = JSON.parse(readFileSync(join(dir, 'cli.json'), 'utf8')) as Record<string, unknown>

    // The lab runs the spec the CLI resolved from its config, on the same candles.
    const c = new SweepController({ workers: 2, dbName: 'results-lab-cli', factory: directFactory(newLog()), shareMemory: false, topN: 5 })
    const out = await c.start({ source: { kind: 'synthetic', market: 'KRW-BTC', days: 1 }, spec: cliJson.spec as never })
    expect(out.kind).toBe('completed')
    const doc = (await c.results())!
    const labJson = JSON.parse(exportParts('json', doc).join('')) as Record<string, unknown>
    expect(labJson.data).toEqual({ kind: 'synthetic', market: 'KRW-BTC', days: 1 })
    expect(cliJson.data).toMatchObject({ kind: 'synthetic', market: 'KRW-BTC' })
    expect(Object.keys(labJson)).toEqual(Object.keys(cliJson))
    expect(comparable(labJson)).toEqual(comparable(cliJson))
    expect(labJson.robustness).not.toBeNull()
    expect(exportParts('csv', doc).join('')).toBe(readFileSync(join(dir, 'cli.csv'), 'utf8'))
  })
})
