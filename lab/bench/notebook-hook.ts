// window.__labNotebookBench: what `npm run bench:browser` needs inside the real lab page, loaded
// only when the page is opened with ?bench (a lazy chunk: it is not part of the first load).
// It writes synthetic 1m candles into the lab's own candle store (the bench needs months of
// bars without a download), times loading them back into typed arrays, and times a parameter
// change up to the next frame after the backtest cell's charts took the new result.
import { DAY_MS } from '../../shared/candles/index.ts'
import { generateMinuteCandles } from '../../shared/synthetic/index.ts'
import { CandleStore, type SeriesKey } from '../candles/index.ts'

export interface SeedSpec {
  readonly key: SeriesKey
  readonly fromMs: number
  readonly days: number
}

export interface NotebookBench {
  /** Writes `days` of 1m bars (a bar every minute) from fromMs; returns the bar count and ms. */
  seed(spec: SeedSpec): Promise<{ bars: number; ms: number }>
  /** Loads the range `repeats` times; the ms of each load and the bar count. */
  load(spec: SeedSpec, repeats: number): Promise<{ bars: number; ms: number[] }>
  /**
   * Sets the backtest cell's slider `testId` to each value in turn (an input event, as a drag
   * does) and measures from the event to the next frame after the charts took the new result.
   * Waits `settleMs` between changes. Returns the ms per change and the worker's run time of each.
   */
  paramChanges(
    testId: string,
    values: readonly number[],
    settleMs: number,
  ): Promise<{ ms: number[]; workerMs: number[]; replyMs: number[]; chartsMs: number[] }>
}

const nextFrame = (): Promise<number> =>
  new Promise((resolve) => {
    requestAnimationFrame(() => {
      // A message after the frame callback lands after that frame is painted.
      const ch = new MessageChannel()
      ch.port1.onmessage = () => resolve(performance.now())
      ch.port2.postMessage(null)
    })
  })

const painted = (timeoutMs: number): Promise<void> =>
  new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no bt-painted within ${timeoutMs} ms`)), timeoutMs)
    document.addEventListener(
      'bt-painted',
      () => {
        clearTimeout(t)
        resolve()
      },
      { once: true },
    )
  })

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

export function createNotebookBench(): NotebookBench {
  let store: Promise<CandleStore> | null = null
  const open = (): Promise<CandleStore> => (store ??= CandleStore.open())
  return {
    async seed({ key, fromMs, days }) {
      const toMs = fromMs + days * DAY_MS
      const series = generateMinuteCandles({ seed: 1, startPrice: 90_000_000, noTradeRate: 0 }, fromMs, toMs)
      const s = await open()
      const t0 = performance.now()
      await s.putWindow(key, series, fromMs, toMs)
      return { bars: series.time.length, ms: performance.now() - t0 }
    },
    async load({ key, fromMs, days }, repeats) {
      const s = await open()
      const ms: number[] = []
      let bars = 0
      for (let i = 0; i < repeats; i++) {
        const t0 = performance.now()
        const r = await s.load(key, fromMs, fromMs + days * DAY_MS)
        ms.push(performance.now() - t0)
        bars = r.series.time.length
      }
      return { bars, ms }
    },
    async paramChanges(testId, values, settleMs) {
      const ms: number[] = []
      const workerMs: number[] = []
      const replyMs: number[] = []
      const chartsMs: number[] = []
      const last = (name: string): number => performance.getEntriesByName(name).at(-1)?.startTime ?? Number.NaN
      for (const v of values) {
        const input = document.querySelector<HTMLInputElement>(`[data-testid="${testId}"]`)
        if (input === null) throw new Error(`no element [data-testid="${testId}"]`)
        const done = painted(10_000)
        input.value = String(v)
        const t0 = performance.now()
        input.dispatchEvent(new Event('input', { bubbles: true }))
        await done
        ms.push((await nextFrame()) - t0)
        workerMs.push(Number(document.querySelector('[data-testid=bt-facts]')?.getAttribute('data-elapsed-ms')))
        replyMs.push(last('bt-reply') - t0)
        chartsMs.push(last('bt-charts') - t0)

        await sleep(settleMs)
      }
      return { ms, workerMs, replyMs, chartsMs }
    },
  }
}

declare global {
  interface Window {
    __labNotebookBench?: NotebookBench
  }
}

window.__labNotebookBench = createNotebookBench()
