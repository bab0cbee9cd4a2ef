// Configuration: the token file (0600, 256 bits, reused), DATA_DIR (0700), `.env` permissions,
// HOST/PORT and --allow-remote, and main refusing to start on a readable `.env` (exit 2).
import { spawnSync } from 'node:child_process'
import { chmodSync, mkdtempSync, readFileSync, statSync, utimesSync, writeFileSync, mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ensureDataDir } from '../../../edge/config/data-dir.ts'
import { ConfigError } from '../../../edge/config/errors.ts'
import { parseEnvText, readEnvFile } from '../../../edge/config/env-file.ts'
import { loadSettings } from '../../../edge/config/settings.ts'
import { loadOrCreateToken, TOKEN_FILE } from '../../../edge/config/token-file.ts'
import { isLabStale } from '../../../edge/server/lab-build.ts'

const tmp = (): string => mkdtempSync(join(tmpdir(), 'edge-config-'))
const mode = (p: string): number => statSync(p).mode & 0o777

describe('token file', () => {
  it('is created at first start with 256 random bits, mode 0600, and reused after a restart', () => {
    const dir = tmp()
    const first = loadOrCreateToken(dir)
    expect(first).toMatch(/^[0-9a-f]{64}$/)
    expect(mode(join(dir, TOKEN_FILE))).toBe(0o600)
    expect(loadOrCreateToken(dir)).toBe(first)
    expect(loadOrCreateToken(tmp())).not.toBe(first)
  })
  it('refuses a token file others can read, and one without a full token', () => {
    const dir = tmp()
    loadOrCreateToken(dir)
    chmodSync(join(dir, TOKEN_FILE), 0o644)
    expect(() => loadOrCreateToken(dir)).toThrow(/chmod 600/)
    const short = tmp()
    writeFileSync(join(short, TOKEN_FILE), 'abc\n', { mode: 0o600 })
    expect(() => loadOrCreateToken(short)).toThrow(ConfigError)
  })
})

describe('DATA_DIR', () => {
  it('is created private (0700)', () => {
    const dir = join(tmp(), 'nested', 'data')
    ensureDataDir(dir)
    expect(mode(dir)).toBe(0o700)
  })
})

describe('.env', () => {
  it('parses KEY=VALUE, comments, export and quotes', () => {
    expect(parseEnvText('# c\nexport A=1\nB = "two words"\nC=\'x#y\'\nD=3 # note\n\nbad line\n')).toEqual({
      A: '1',
      B: 'two words',
      C: 'x#y',
      D: '3',
    })
  })
  it('no file = no keys', () => {
    expect(readEnvFile(join(tmp(), '.env'))).toBeUndefined()
  })
  it.each([[0o644], [0o640], [0o604], [0o660]])('refuses mode %s with how to fix it', (m) => {
    const p = join(tmp(), '.env')
    writeFileSync(p, 'UPBIT_ACCESS_KEY=a\nUPBIT_SECRET_KEY=b\n')
    chmodSync(p, m)
    expect(() => readEnvFile(p)).toThrow(`chmod 600 ${p}`)
  })
  it('reads a 0600 file', () => {
    const p = join(tmp(), '.env')
    writeFileSync(p, 'UPBIT_ACCESS_KEY=a\n', { mode: 0o600 })
    expect(readEnvFile(p)).toEqual({ UPBIT_ACCESS_KEY: 'a' })
  })
})

describe('settings', () => {
  const load = (env: Record<string, string> = {}, argv: string[] = []) => {
    const cwd = tmp()
    return loadSettings({ argv, env, cwd, randomHex: (n) => 'r'.repeat(n * 2) })
  }
  it('defaults: 127.0.0.1:8787, ./data, no Upbit keys, random sim keys', () => {
    const s = load()
    expect(s).toMatchObject({ host: '127.0.0.1', port: 8787, remote: false, upbit: { baseUrl: 'https://api.upbit.com' } })
    expect(s.upbit.keys).toBeUndefined()
    expect(s.dataDir.endsWith('/data')).toBe(true)
    expect(s.sim.secretKey).toBe('r'.repeat(64))
  })
  it('PORT, with EDGE_PORT as an alias (PORT wins)', () => {
    expect(load({ EDGE_PORT: '9000' }).port).toBe(9000)
    expect(load({ PORT: '9001', EDGE_PORT: '9000' }).port).toBe(9001)
    expect(() => load({ PORT: 'http' })).toThrow(/PORT/)
    expect(() => load({ PORT: '70000' })).toThrow(/PORT/)
  })
  it('a non-loopback HOST needs --allow-remote', () => {
    expect(() => load({ HOST: '0.0.0.0' })).toThrow(/--allow-remote/)
    expect(load({ HOST: '0.0.0.0' }, ['--allow-remote'])).toMatchObject({ host: '0.0.0.0', remote: true, extraHostnames: [] })
    expect(load({ HOST: '192.168.1.5' }, ['--allow-remote']).extraHostnames).toEqual(['192.168.1.5'])
    expect(load({ HOST: '::1' }).remote).toBe(false)
  })
  it('keys come in pairs; unknown options are refused', () => {
    expect(() => load({ UPBIT_ACCESS_KEY: 'a' })).toThrow(/both/)
    expect(load({ UPBIT_ACCESS_KEY: 'a', UPBIT_SECRET_KEY: 'b' }).upbit.keys).toEqual({ accessKey: 'a', secretKey: 'b' })
    expect(() => load({}, ['--port=1'])).toThrow(/unknown option/)
  })
  it('SIM_CLOCK_SPEED sets the built-in venue clock; nonsense is refused', () => {
    expect(load().sim.clockSpeed).toBeUndefined()
    expect(load({ SIM_CLOCK_SPEED: '60' }).sim.clockSpeed).toBe(60)
    for (const bad of ['0', '-1', 'fast', '100000']) expect(() => load({ SIM_CLOCK_SPEED: bad })).toThrow(/SIM_CLOCK_SPEED/)
  })
  it('reads the keys from .env (EDGE_ENV_FILE), the environment wins', () => {
    const dir = tmp()
    const p = join(dir, 'keys.env')
    writeFileSync(p, 'UPBIT_ACCESS_KEY=file-a\nUPBIT_SECRET_KEY=file-b\nPORT=9100\n', { mode: 0o600 })
    const s = loadSettings({ argv: [], env: { EDGE_ENV_FILE: p, PORT: '9200' }, cwd: dir, randomHex: () => 'x' })
    expect(s.upbit.keys).toEqual({ accessKey: 'file-a', secretKey: 'file-b' })
    expect(s.port).toBe(9200)
  })
})

describe('main', () => {
  it('refuses to start when .env is readable by others: exit 2 and says to chmod 600', () => {
    const dir = tmp()
    const p = join(dir, '.env')
    writeFileSync(p, 'UPBIT_ACCESS_KEY=a\nUPBIT_SECRET_KEY=b\n')
    chmodSync(p, 0o644)
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'edge/main.ts'], {
      env: { ...process.env, EDGE_ENV_FILE: p, DATA_DIR: join(dir, 'data'), PORT: '0' },
      encoding: 'utf8',
      timeout: 30_000,
    })
    expect(r.status).toBe(2)
    expect(r.stderr).toContain(`chmod 600 ${p}`)
    expect(r.stdout + r.stderr).not.toContain('UPBIT_SECRET_KEY=b')
  })
})

describe('lab build staleness (npm start)', () => {
  it('stale when dist is missing or older than a source, fresh otherwise', () => {
    const root = tmp()
    mkdirSync(join(root, 'lab'))
    writeFileSync(join(root, 'lab', 'main.ts'), 'x')
    expect(isLabStale(root)).toBe(true)
    mkdirSync(join(root, 'dist'))
    writeFileSync(join(root, 'dist', 'index.html'), 'x')
    const past = new Date(Date.now() - 60_000)
    utimesSync(join(root, 'lab', 'main.ts'), past, past)
    utimesSync(join(root, 'lab'), past, past)
    expect(isLabStale(root)).toBe(false)
    writeFileSync(join(root, 'lab', 'main.ts'), 'y')
    expect(isLabStale(root)).toBe(true)
    expect(readFileSync(join(root, 'dist', 'index.html'), 'utf8')).toBe('x')
  })
})
