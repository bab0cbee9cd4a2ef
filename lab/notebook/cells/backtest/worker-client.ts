// The backtest worker as the runner starts it: one module Web Worker reached through comlink, with
// a failure promise for a worker that cannot load or dies. Without module workers (tests in
// happy-dom) the engine runs in this thread instead.
import { wrap } from 'comlink'
import { createBacktestEngine, type BacktestEngineApi } from './engine.ts'
import { BacktestRunner, canShareMemory, inProcessEngine, type EngineClient, type EngineFactory } from './runner.svelte.ts'

export const workerEngine: EngineFactory = () => {
  const worker = new Worker(new URL('./backtest.worker.ts', import.meta.url), { type: 'module' })
  const failed = new Promise<never>((_, reject) => {
    worker.addEventListener('error', (ev) => reject(new Error(`backtest worker error: ${ev.message || 'failed to load'}`)))
    worker.addEventListener('messageerror', () => reject(new Error('backtest worker: a message could not be decoded')))
  })
  failed.catch(() => undefined) // observed through races; no unhandled rejection while idle
  return { api: wrap<BacktestEngineApi>(worker) as unknown as EngineClient, failed, terminate: () => worker.terminate() }
}

/** The lab's runner: a Web Worker when the browser has them, else the engine in this thread. */
export function createBacktestRunner(): BacktestRunner {
  if (typeof Worker !== 'function') return new BacktestRunner(inProcessEngine(createBacktestEngine()))
  return new BacktestRunner(workerEngine, { shareMemory: canShareMemory() })
}
