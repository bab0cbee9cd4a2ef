// Edge's settings from the command line, the process environment and `.env` (the environment
// wins over the file). Every problem is a ConfigError with a message that says what to do.
import { isAbsolute, resolve } from 'node:path'
import { ConfigError } from './errors.ts'
import { readEnvFile } from './env-file.ts'

export interface Settings {
  readonly host: string
  readonly port: number
  /** The bind is not loopback (needs --allow-remote). */
  readonly remote: boolean
  /** Host names besides loopback that may address edge (Host and Origin allow-lists). */
  readonly extraHostnames: readonly string[]
  readonly dataDir: string
  readonly staticRoot: string
  readonly upbit: {
    readonly baseUrl: string
    readonly keys?: { readonly accessKey: string; readonly secretKey: string }
    /**
     * The venue's clock when it is not the wall clock: a standalone simulated venue running
     * accelerated (`UPBIT_CLOCK=<venueMs>@<wallMs>x<speed>`, the same origin and speed given to
     * `npm run sim`). Only for testing edge against such a venue; absent for api.upbit.com.
     */
    readonly clock?: () => number
  }
  readonly sim: {
    readonly accessKey: string
    readonly secretKey: string
    readonly historyDays: number
    /** The built-in venue's clock speed (1 = real time; SIM_CLOCK_SPEED, for demos and browser tests). */
    readonly clockSpeed?: number
  }
}

export interface SettingsInput {
  readonly argv: readonly string[]
  readonly env: Readonly<Record<string, string | undefined>>
  readonly cwd: string
  /** Random hex for the sim's per-start keys (injected for tests). */
  readonly randomHex: (bytes: number) => string
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost'])
const WILDCARD_HOSTS = new Set(['0.0.0.0', '::'])
const KNOWN_FLAGS = new Set(['--allow-remote'])

export const DEFAULT_HOST = '127.0.0.1'
export const DEFAULT_PORT = 8787
export const UPBIT_BASE_URL = 'https://api.upbit.com'

function parsePort(raw: string | undefined, name: string): number {
  if (raw === undefined || raw === '') return DEFAULT_PORT
  const port = Number(raw)
  if (!/^\d+$/.test(raw) || port > 65535) throw new ConfigError(`${name} must be a TCP port number (0–65535), got ${JSON.stringify(raw)}`)
  return port
}

/** `<venueMs>@<wallMs>x<speed>`: venue time = venueMs + (wall now − wallMs) × speed. */
export function parseVenueClock(text: string, wallNowMs: () => number = Date.now): () => number {
  const m = /^(\d+)@(\d+)x(\d+(?:\.\d+)?)$/.exec(text)
  if (!m || !(Number(m[3]) > 0))
    throw new ConfigError(
      `UPBIT_CLOCK must be <venue epoch ms>@<wall epoch ms>x<speed> (e.g. 1719792000000@1765000000000x60), got ${JSON.stringify(text)}`,
    )
  const venue0 = Number(m[1])
  const wall0 = Number(m[2])
  const speed = Number(m[3])
  return () => Math.floor(venue0 + (wallNowMs() - wall0) * speed)
}

export function loadSettings(input: SettingsInput): Settings {
  for (const a of input.argv)
    if (!KNOWN_FLAGS.has(a))
      throw new ConfigError(`unknown option ${a}; edge takes only --allow-remote (settings come from the environment and .env)`)
  const at = (p: string): string => (isAbsolute(p) ? p : resolve(input.cwd, p))
  const envPath = at(input.env.EDGE_ENV_FILE ?? '.env')
  const env: Record<string, string | undefined> = { ...readEnvFile(envPath), ...input.env }

  const host = env.HOST || DEFAULT_HOST
  const remote = !LOOPBACK_HOSTS.has(host)
  if (remote && !input.argv.includes('--allow-remote')) {
    throw new ConfigError(
      `HOST=${host} is not a loopback address: edge holds trading keys, so binding it elsewhere needs --allow-remote (npm start -- --allow-remote)`,
    )
  }
  // PORT is the documented name; EDGE_PORT is kept for scripts written before it.
  const port = env.PORT !== undefined && env.PORT !== '' ? parsePort(env.PORT, 'PORT') : parsePort(env.EDGE_PORT, 'EDGE_PORT')

  const accessKey = env.UPBIT_ACCESS_KEY || undefined
  const secretKey = env.UPBIT_SECRET_KEY || undefined
  if ((accessKey === undefined) !== (secretKey === undefined)) {
    throw new ConfigError(`set both UPBIT_ACCESS_KEY and UPBIT_SECRET_KEY in ${envPath}, or neither (sim only)`)
  }
  const clockSpeed = env.SIM_CLOCK_SPEED ? Number(env.SIM_CLOCK_SPEED) : undefined
  if (clockSpeed !== undefined && !(clockSpeed > 0 && clockSpeed <= 3_600))
    throw new ConfigError(`SIM_CLOCK_SPEED must be a number in (0, 3600], got ${env.SIM_CLOCK_SPEED}`)
  const historyDays = Number(env.SIM_HISTORY_DAYS ?? 2)
  if (!Number.isFinite(historyDays) || historyDays < 0)
    throw new ConfigError(`SIM_HISTORY_DAYS must be a number ≥ 0, got ${env.SIM_HISTORY_DAYS}`)

  const extra = (env.EDGE_ALLOWED_HOSTS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
  if (remote && !WILDCARD_HOSTS.has(host)) extra.push(host)
  return {
    host,
    port,
    remote,
    extraHostnames: extra,
    dataDir: at(env.DATA_DIR || './data'),
    staticRoot: at(env.EDGE_STATIC_ROOT || 'dist'),
    upbit: {
      baseUrl: env.UPBIT_BASE_URL || UPBIT_BASE_URL,
      ...(accessKey && secretKey ? { keys: { accessKey, secretKey } } : {}),
      ...(env.UPBIT_CLOCK ? { clock: parseVenueClock(env.UPBIT_CLOCK) } : {}),
    },
    // The built-in venue's keys only guard this process's own simulated accounts; edge is its
    // only client, so fresh random keys per start are enough unless the user pins them.
    sim: {
      accessKey: env.SIM_ACCESS_KEY || input.randomHex(16),
      secretKey: env.SIM_SECRET_KEY || input.randomHex(32),
      historyDays,
      ...(clockSpeed !== undefined ? { clockSpeed } : {}),
    },
  }
}
