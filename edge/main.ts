// Process entry of edge: reads the configuration (command line, environment, `.env`), prepares
// DATA_DIR and the API token, starts edge (server/edge.ts) and prints the lab's URL with the
// token in the fragment (fragments never reach a server, a log or a Referer). A configuration
// problem prints what to fix and exits with status 2.
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ensureDataDir } from './config/data-dir.ts'
import { ConfigError } from './config/errors.ts'
import { loadSettings, type Settings } from './config/settings.ts'
import { loadOrCreateToken } from './config/token-file.ts'
import { SIM_BASE_PATH } from './app.ts'
import { startEdge } from './server/edge.ts'
import { CONSOLE_LOGGER } from './server/logger.ts'

function fail(message: string): never {
  console.error(`edge: ${message}`)
  process.exit(2)
}

function configure(argv: readonly string[]): { settings: Settings; token: string } {
  try {
    const settings = loadSettings({ argv, env: process.env, cwd: process.cwd(), randomHex: (n) => randomBytes(n).toString('hex') })
    if (!existsSync(resolve(settings.staticRoot, 'index.html'))) {
      throw new ConfigError(`no built lab in ${settings.staticRoot}: run \`npm run build\` first (npm start does it)`)
    }
    ensureDataDir(settings.dataDir)
    return { settings, token: loadOrCreateToken(settings.dataDir) }
  } catch (e) {
    if (e instanceof ConfigError) fail(e.message)
    throw e
  }
}

/**
 * Crash trials (npm run test:crash): `EDGE_CRASH_AT=<point>:<n>` kills this process with SIGKILL
 * the n-th time a live run passes the named point (live-run.ts: after-intent, after-send,
 * after-fill). Unset in normal use.
 */
function crashPointFromEnv(spec: string | undefined): { crashPoint?: (point: string) => void } {
  if (!spec) return {}
  const [name, nth] = spec.split(':')
  let left = Number(nth ?? 1)
  if (!name || !(left >= 1)) fail(`EDGE_CRASH_AT must be <point>:<n>, got ${JSON.stringify(spec)}`)
  return {
    crashPoint: (point) => {
      if (point === name && --left === 0) process.kill(process.pid, 'SIGKILL')
    },
  }
}

export async function runMain(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  const { settings, token } = configure(argv)
  if (settings.remote) {
    console.warn(
      `edge: WARNING: listening on ${settings.host}, not loopback. Anyone who can reach this machine and learns the token can trade with your keys.`,
    )
  }
  const edge = await startEdge({ settings, token, logger: CONSOLE_LOGGER, ...crashPointFromEnv(process.env.EDGE_CRASH_AT) }).catch(
    (e: unknown) =>
      // A ConfigError is the journal refusing to open (its message says what to fix).
      fail(
        e instanceof ConfigError
          ? e.message
          : `cannot listen on ${settings.host}:${settings.port}: ${e instanceof Error ? e.message : String(e)}`,
      ),
  )
  console.log(
    `edge listening on ${edge.origin} (venues: upbit${settings.upbit.keys ? ' with keys' : ' without keys (market data only)'}, sim at ${SIM_BASE_PATH})`,
  )
  console.log(`open the lab: ${edge.origin}/#token=${token}`)
  const shutdown = (): void => {
    void edge.close().then(() => process.exit(0))
  }
  process.on('SIGINT', shutdown)
  process.on('SIGTERM', shutdown)
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await runMain()
