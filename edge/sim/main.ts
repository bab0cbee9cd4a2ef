// Standalone simulated Upbit venue: `npm run sim -- --port 9100 --access-key AK --secret-key SK`.
import { parseArgs } from 'node:util'
import { SIM_MARKET_PRESETS, parseFaultArg, startSimVenue } from './index.ts'

const HELP = `Simulated Upbit venue (REST + WebSocket, Upbit's protocol)

Usage: npm run sim -- [options]
  --port N              listen port (default 9100; 0 = random)
  --host H              bind address (default 127.0.0.1)
  --access-key AK       API access key clients must sign with (required)
  --secret-key SK       API secret key (required)
  --seed N              market generator seed (default 1)
  --markets A,B         markets (default KRW-BTC,KRW-ETH,KRW-XRP; presets: ${Object.keys(SIM_MARKET_PRESETS).join(', ')})
  --history-days N      days of generated history before now (default 30)
  --clock-speed X       1 = real time, 60 = one simulated minute per second (default 1)
  --clock-origin V@W    venue time V (epoch ms) at wall time W: venue = V + (wall − W) × speed, so
                        edge can follow the same clock (its UPBIT_CLOCK=V@WxSPEED)
  --krw N               starting KRW balance (default 10000000)
  --fault SPEC          endpoint:kind[:count], repeatable, e.g. "POST /v1/orders:response-lost:1"
                        kinds: 429 418 500 delay timeout malformed drop-ws response-lost
  --no-rate-limit       do not enforce Upbit's rate limits
  --help                this text`

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    host: { type: 'string' },
    'access-key': { type: 'string' },
    'secret-key': { type: 'string' },
    seed: { type: 'string' },
    markets: { type: 'string' },
    'history-days': { type: 'string' },
    'clock-speed': { type: 'string' },
    'clock-origin': { type: 'string' },
    krw: { type: 'string' },
    fault: { type: 'string', multiple: true },
    'no-rate-limit': { type: 'boolean' },
    help: { type: 'boolean' },
  },
})

if (values.help) {
  console.log(HELP)
  process.exit(0)
}
const accessKey = values['access-key']
const secretKey = values['secret-key']
if (!accessKey || !secretKey) {
  console.error('sim: --access-key and --secret-key are required (see --help)')
  process.exit(2)
}
const num = (text: string | undefined, fallback: number, name: string): number => {
  if (text === undefined) return fallback
  const n = Number(text)
  if (!Number.isFinite(n)) {
    console.error(`sim: ${name} must be a number, got "${text}"`)
    process.exit(2)
  }
  return n
}

const speed = num(values['clock-speed'], 1, '--clock-speed')
const origin = values['clock-origin'] ? /^(\d+)@(\d+)$/.exec(values['clock-origin']) : null
if (values['clock-origin'] && origin === null) {
  console.error(`sim: --clock-origin must be <venue ms>@<wall ms>, got "${values['clock-origin']}"`)
  process.exit(2)
}
const venue = await startSimVenue({
  accessKey,
  secretKey,
  port: num(values.port, 9100, '--port'),
  host: values.host ?? '127.0.0.1',
  seed: num(values.seed, 1, '--seed'),
  ...(values.markets ? { markets: values.markets.split(',').map((m) => m.trim()) } : {}),
  historyDays: num(values['history-days'], 30, '--history-days'),
  ...(origin ? { now: () => Math.floor(Number(origin[1]) + (Date.now() - Number(origin[2])) * speed) } : { clockSpeed: speed }),
  balances: { KRW: num(values.krw, 10_000_000, '--krw') },
  enforceRateLimits: !values['no-rate-limit'],
})
for (const spec of values.fault ?? []) venue.faults.inject(parseFaultArg(spec))
console.log(`sim venue listening on ${venue.url} (WebSocket ${venue.wsUrl}/websocket/v1)`)
const stop = (): void => {
  void venue.close().then(() => process.exit(0))
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
