// Bench: download 3 months (129,600 minutes) of KRW-XRP 1-minute candles (2% no-trade minutes) from
// the simulated venue through the Upbit client, with the venue enforcing Upbit's 10 requests/s
// candle limit on the wall clock.
// Figures:
//   download.3m1m.seconds            wall time of the download (venue start-up excluded)
//   download.3m1m.requestsPerSecond  candle requests sent per second
//   download.3m1m.limitShare         requestsPerSecond / 10 (share of Upbit's candle limit used)
//   download.3m1m.gaps               bar slots reported as gaps (the venue's no-trade minutes)
//   download.3m1m.duplicates         bars yielded twice (must be 0)
//   download.3m1m.rateLimited        429 answers received (should be 0)
// --quick downloads 7 days instead of 90 (same keys).
import { startSimVenue } from '../../edge/sim/index.ts'
import { createUpbitClient } from '../../edge/upbit/client.ts'
import { downloadCandles } from '../../edge/upbit/download.ts'

const MIN = 60_000
const CANDLE_LIMIT_PER_SEC = 10

export const bench = {
  name: 'download',
  async run(args: { quick: boolean }): Promise<Record<string, number>> {
    const days = args.quick ? 7 : 90
    const startMs = Date.UTC(2025, 6, 1, 0, 0, 30)
    const venue = await startSimVenue({
      port: 0,
      accessKey: 'BENCH_AK',
      secretKey: 'BENCH_SK',
      seed: 42,
      markets: ['KRW-XRP'],
      clock: 'manual',
      startMs,
      historyDays: days + 1,
      rateLimitNowMs: Date.now,
    })
    try {
      let requests = 0
      let rateLimited = 0
      const client = createUpbitClient({
        baseUrl: venue.url,
        fetch: async (url, init) => {
          requests++
          const res = await fetch(url, init)
          if (res.status === 429) rateLimited++
          return res
        },
      })
      const toMs = Math.floor(startMs / MIN) * MIN
      const fromMs = toMs - days * 1440 * MIN
      const seen = new Set<number>()
      let bars = 0
      let duplicates = 0
      let gaps = 0
      const t0 = performance.now()
      for await (const r of downloadCandles(client, 'KRW-XRP', '1m', fromMs, toMs, { nowMs: () => venue.clock.nowMs() })) {
        if (!r.ok) throw new Error(`download failed: ${r.error.kind}: ${r.error.message}`)
        const time = r.value.series.time
        for (let i = 0; i < time.length; i++) {
          if (seen.has(time[i]!)) duplicates++
          else seen.add(time[i]!)
        }
        bars += time.length
        gaps += r.value.missingBars
      }
      const seconds = (performance.now() - t0) / 1000
      if (bars + gaps - duplicates !== days * 1440)
        throw new Error(`coverage mismatch: ${bars} bars + ${gaps} gaps ≠ ${days * 1440} minutes`)
      const requestsPerSecond = requests / seconds
      return {
        'download.3m1m.seconds': seconds,
        'download.3m1m.requestsPerSecond': requestsPerSecond,
        'download.3m1m.limitShare': requestsPerSecond / CANDLE_LIMIT_PER_SEC,
        'download.3m1m.gaps': gaps,
        'download.3m1m.duplicates': duplicates,
        'download.3m1m.rateLimited': rateLimited,
      }
    } finally {
      await venue.close()
    }
  },
}
