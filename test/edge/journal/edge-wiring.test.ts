// Edge as main starts it (startEdge): the journal is DATA_DIR/journal.sqlite, opened before the
// server listens, used by the promotion routes, and closed on shutdown; a journal edge must not
// use stops the start with a ConfigError (main prints it and exits 2).
import { chmodSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DEFAULT_EXEC_CONFIG } from '../../../shared/engine/types.ts'
import { ConfigError } from '../../../edge/config/errors.ts'
import { openJournal } from '../../../edge/journal/index.ts'
import { startEdge } from '../../../edge/server/edge.ts'
import { captureLogger, TOKEN } from '../api/fixtures.ts'
import { testSettings } from '../server/fixtures.ts'

const BODY = {
  strategy: { id: 'trend', version: 1 },
  params: {},
  market: 'KRW-BTC',
  timeframe: '1m',
  exec: DEFAULT_EXEC_CONFIG,
  risk: { maxPositionQuote: 100_000, dailyLossLimitRate: 0.05, maxDrawdownRate: 0.2 },
  backtest: { range: { source: 'synthetic', fromMs: 0, toMs: 60_000, bars: 1 }, metrics: {} },
}

describe('startEdge and the journal', () => {
  it('opens DATA_DIR/journal.sqlite, serves promotions from it, closes it on shutdown', async () => {
    const settings = testSettings()
    const edge = await startEdge({ settings, token: TOKEN, logger: captureLogger() })
    const path = join(settings.dataDir, 'journal.sqlite')
    expect(edge.journal.path).toBe(path)
    const res = await edge.app.request('/api/promotions', {
      method: 'POST',
      headers: { host: `127.0.0.1:${edge.port}`, authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(BODY),
    })
    expect(res.status).toBe(201)
    await edge.close()
    expect(edge.journal.db.open).toBe(false)
    expect(existsSync(`${path}-wal`)).toBe(false) // a clean close checkpoints and removes it
    const again = openJournal(path)
    expect(again.promotions.list()).toHaveLength(1)
    again.close()
  })

  it('refuses to start when DATA_DIR is open to other users', async () => {
    const settings = testSettings()
    chmodSync(settings.dataDir, 0o755)
    const start = startEdge({ settings, token: TOKEN, logger: captureLogger() })
    await expect(start).rejects.toThrow(ConfigError)
    await expect(start).rejects.toThrow(`chmod 700 ${settings.dataDir}`)
  })
})
