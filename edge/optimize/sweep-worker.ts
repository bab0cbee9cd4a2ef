// The sweep pool's worker thread: holds one SweepRunner (candles shared through SharedArrayBuffer
// when the parent provides them) and answers range requests with metric rows (transferred).
import { parentPort } from 'node:worker_threads'
import { METRIC_COUNT } from '../../shared/metrics/types.ts'
import { createSweepRunner } from '../../shared/optimize/index.ts'
import type { SweepRunner } from '../../shared/optimize/index.ts'
import type { ToWorker, FromWorker } from './protocol.ts'

const port = parentPort
if (port === null) throw new Error('sweep-worker.ts must run in a worker thread')

let runner: SweepRunner | undefined

function reply(msg: FromWorker, transfer: ArrayBuffer[] = []): void {
  port!.postMessage(msg, transfer)
}

port.on('message', (msg: ToWorker) => {
  try {
    if (msg.kind === 'init') {
      runner = createSweepRunner(msg.series, msg.spec)
      reply({ kind: 'ready', comboCount: runner.comboCount })
    } else if (msg.kind === 'run') {
      if (runner === undefined) throw new Error('run before init')
      const rows = new Float64Array((msg.end - msg.start) * METRIC_COUNT)
      const { simulated, copied } = runner.runRange(msg.start, msg.end, rows)
      reply({ kind: 'rows', start: msg.start, end: msg.end, rows, simulated, copied }, [rows.buffer])
    }
  } catch (e) {
    reply({ kind: 'error', message: e instanceof Error ? (e.stack ?? e.message) : String(e) })
  }
})
