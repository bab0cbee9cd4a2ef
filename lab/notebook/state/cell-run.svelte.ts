// The runtime side of one cell: status, progress, output and the stamp of the run that made the
// output. Not persisted: outputs come back by running the cell again. The output is $state.raw
// because it can hold large typed arrays that must not be proxied.
import { toStorageError, StorageError } from '../../candles/index.ts'
import type { RunStamp } from '../model/freshness.ts'
import type { CellProgress, CellRunView, RunStatus } from '../cells/types.ts'

export class CellRun implements CellRunView<unknown> {
  status = $state<RunStatus>('idle')
  progress = $state.raw<CellProgress | null>(null)
  output = $state.raw<unknown>(undefined)
  error = $state.raw<{ message: string; advice?: string; storage?: string } | null>(null)
  rev = $state(0)
  stamp = $state.raw<RunStamp | null>(null)
  private controller: AbortController | null = null

  get running(): boolean {
    return this.status === 'running'
  }

  /** Starts a run; a run already going is cancelled first (the latest request wins). */
  begin(): AbortSignal {
    this.controller?.abort()
    this.controller = new AbortController()
    this.status = 'running'
    this.progress = null
    this.error = null
    return this.controller.signal
  }

  finish(signal: AbortSignal, output: unknown, stamp: RunStamp): void {
    if (signal !== this.controller?.signal) return
    this.controller = null
    this.output = output
    this.stamp = stamp
    this.rev++
    this.status = 'done'
    this.progress = null
  }

  fail(signal: AbortSignal, e: unknown): void {
    if (signal !== this.controller?.signal) return
    this.controller = null
    this.progress = null
    if (signal.aborted) {
      this.status = 'cancelled'
      this.error = { message: 'Cancelled.', advice: 'Run the cell again to continue (a data cell keeps what it already downloaded).' }
      return
    }
    this.status = 'error'
    this.error = describeError(e)
  }

  cancel(): void {
    this.controller?.abort()
  }
}

/** `storage`: the StorageError's code, so the cell can offer what fixes it (the stored-candles dialog for 'quota'). */
function describeError(e: unknown): { message: string; advice?: string; storage?: string } {
  if (e instanceof StorageError) return { message: e.message, advice: e.advice, storage: e.code }
  if (e instanceof DOMException) {
    const s = toStorageError(e)
    return { message: s.message, advice: s.advice, storage: s.code }
  }
  return { message: e instanceof Error ? e.message : String(e) }
}
