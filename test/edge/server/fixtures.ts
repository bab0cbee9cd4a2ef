// Runs edge the way main does (startEdge from settings) in a temporary directory.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Settings } from '../../../edge/config/settings.ts'
import { makeStaticRoot } from '../api/fixtures.ts'

export function testSettings(over: Partial<Settings> = {}): Settings {
  const dir = mkdtempSync(join(tmpdir(), 'edge-run-'))
  return {
    host: '127.0.0.1',
    port: 0,
    remote: false,
    extraHostnames: [],
    dataDir: dir,
    staticRoot: makeStaticRoot(),
    upbit: { baseUrl: 'http://upbit.invalid' },
    sim: { accessKey: 'sim-ak', secretKey: 'sim-sk', historyDays: 1 },
    ...over,
  }
}
