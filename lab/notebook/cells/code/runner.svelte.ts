// The one owner of the code cells' workers. Per cell (a lane): the worker made for its current
// source (reused while the source stays the same, so a re-run skips loading danfojs again), the
// phase the page shows (checking the code, starting the worker, loading danfojs, running), the
// outputs displayed so far (they stream in while the code runs) and the last error with its
// line. Stop, or a newer run, terminates the worker at once: a `while (true) {}` cannot hold
// anything up, and the next run makes a fresh worker. Idle workers beyond MAX_IDLE are ended
// (each holds danfojs, tens of MB).
import { compileCell } from './compile.ts'
import type { CodeInputs, DisplayItem, PageMessage, WorkerMessage } from './protocol.ts'

export interface CodeWorker {
  post(m: PageMessage): void
  /** Sets the one handler of the worker's messages (a later call replaces it). */
  onMessage(fn: (m: WorkerMessage) => void): void
  /** Sets the one handler of the worker failing to load (its module did not parse) or dying. */
  onFail(fn: (message: string) => void): void
  terminate(): void
}

export type CodeWorkerFactory = (compiledCode: string) => CodeWorker

export type LanePhase = 'idle' | 'checking' | 'starting' | 'loading' | 'running' | 'done' | 'error' | 'stopped'

export interface CodeErrorInfo {
  readonly name: string
  readonly message: string
  readonly line: number | null
  readonly column: number | null
}

/** A failure in the user's code: the message says where. */
export class CodeError extends Error {
  constructor(readonly info: CodeErrorInfo) {
    super(
      `${info.line !== null ? `Line ${info.line}${info.column !== null ? `, column ${info.column}` : ''}: ` : ''}${info.name}: ${info.message}`,
    )
    this.name = 'CodeError'
  }
}

export interface CodeResult {
  readonly items: readonly DisplayItem[]
  /** Worker start to the inputs built (danfojs included) and the code's own time, in ms. */
  readonly loadMs: number
  readonly runMs: number
  /** Whether this run made a new worker (false: the worker of the same source was reused). */
  readonly freshWorker: boolean
}

/** What a cell's output area shows, live while it runs. */
export class CodeLane {
  phase = $state<LanePhase>('idle')
  items = $state.raw<readonly DisplayItem[]>([])
  error = $state.raw<CodeErrorInfo | null>(null)
  /** Bumped at each run start (the view keeps the previous output until the first new one). */
  generation = $state(0)
  /** The run whose outputs `items` are (a new run's first display replaces the previous run's). */
  shown = $state(0)
}

interface Lane {
  readonly view: CodeLane
  worker: CodeWorker | null
  code: string | null
  busy: boolean
  lastUsed: number
  /** Ends the run in flight (stop, a newer run). */
  abort: ((reason: 'stopped' | 'superseded') => void) | null
}

export const MAX_IDLE = 2

const abortError = (why: string): DOMException => new DOMException(why, 'AbortError')

export class CodeRunner {
  /** Workers made so far (tests and the bench watch it). */
  workersMade = $state(0)
  // Bookkeeping, not rendered: plain collections on purpose.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  private readonly lanes = new Map<string, Lane>()
  private tick = 0

  constructor(
    private readonly factory: CodeWorkerFactory,
    private readonly compile: (source: string) => ReturnType<typeof compileCell> = compileCell,
  ) {}

  private laneOf(id: string): Lane {
    let l = this.lanes.get(id)
    if (l === undefined) {
      l = { view: new CodeLane(), worker: null, code: null, busy: false, lastUsed: 0, abort: null }
      this.lanes.set(id, l)
    }
    return l
  }

  /** The view of a cell's lane (created on first ask). */
  lane(id: string): CodeLane {
    return this.laneOf(id).view
  }

  private endWorker(l: Lane): void {
    l.worker?.terminate()
    l.worker = null
    l.code = null
  }

  /** Ends the least recently used idle workers beyond MAX_IDLE. */
  private trimIdle(keep: Lane): void {
    const idle = [...this.lanes.values()].filter((l) => l !== keep && l.worker !== null && !l.busy).sort((a, b) => a.lastUsed - b.lastUsed)
    while (idle.length > MAX_IDLE) this.endWorker(idle.shift()!)
  }

  /** Terminates the lane's run (and worker) now; its run rejects with an AbortError. */
  stop(id: string): void {
    const l = this.lanes.get(id)
    if (l === undefined) return
    if (l.abort !== null) l.abort('stopped')
    else this.endWorker(l)
  }

  /**
   * Runs `source` in the lane's worker with `inputs`. Resolves with what it displayed; rejects with
   * a CodeError (the user's code failed, with its line), an AbortError (stopped, superseded or the
   * signal aborted) or an Error (the worker could not start).
   */
  async run(id: string, source: string, inputs: CodeInputs, signal: AbortSignal): Promise<CodeResult> {
    const l = this.laneOf(id)
    l.abort?.('superseded')
    const v = l.view
    v.generation++
    v.error = null
    v.phase = 'checking'
    const compiled = await this.compile(source)
    signal.throwIfAborted()
    if (!compiled.ok) {
      v.phase = 'error'
      v.items = []
      v.error = { name: 'SyntaxError', message: compiled.message, line: compiled.line, column: compiled.column }
      throw new CodeError(v.error)
    }
    let fresh = false
    if (l.worker === null || l.code !== compiled.code || l.busy) {
      this.endWorker(l)
      v.phase = 'starting'
      const w = this.factory(compiled.code)
      this.workersMade++
      l.worker = w
      l.code = compiled.code
      fresh = true
    }
    const w = l.worker!
    l.busy = true
    l.lastUsed = ++this.tick
    this.trimIdle(l)
    const items: DisplayItem[] = []
    let first = true
    try {
      return await new Promise<CodeResult>((resolve, reject) => {
        let settled = false
        const finish = (f: () => void): void => {
          if (settled) return
          settled = true
          l.abort = null
          signal.removeEventListener('abort', onAbort)
          f()
        }
        const onAbort = (): void => l.abort?.('stopped')
        l.abort = (why) =>
          finish(() => {
            // A run that may be spinning: end its worker, the next run makes a fresh one.
            if (l.worker === w) this.endWorker(l)
            else w.terminate()
            if (why === 'stopped') v.phase = 'stopped'
            reject(abortError(why === 'stopped' ? 'Stopped: the code cell was terminated.' : 'Superseded by a newer run.'))
          })
        signal.addEventListener('abort', onAbort, { once: true })
        w.onFail((message) =>
          finish(() => {
            if (l.worker === w) this.endWorker(l)
            v.phase = 'error'
            v.error = {
              name: 'SyntaxError',
              message:
                message ||
                'the code could not be loaded: a syntax error the checker did not catch (a name declared twice, or one of candles, cells, display, dfd declared again?)',
              line: null,
              column: null,
            }
            reject(new CodeError(v.error))
          }),
        )
        w.onMessage((m) => {
          if (settled) return
          if (m.type === 'ready') w.post({ type: 'run', inputs })
          else if (m.type === 'phase') v.phase = m.phase
          else if (m.type === 'display') {
            items.push(m.item)
            // The first output of a run replaces the previous run's outputs on screen.
            v.items = first ? [m.item] : [...v.items, m.item]
            if (first) v.shown = v.generation
            first = false
          } else if (m.type === 'done')
            finish(() => {
              v.phase = 'done'
              if (first) {
                v.items = []
                v.shown = v.generation
              }
              resolve({ items, loadMs: m.loadMs, runMs: m.runMs, freshWorker: fresh })
            })
          else if (m.type === 'error')
            finish(() => {
              v.phase = 'error'
              if (first) {
                v.items = []
                v.shown = v.generation
              }
              v.error = { name: m.name, message: m.message, line: m.line, column: m.column }
              reject(new CodeError(v.error))
            })
        })
        if (signal.aborted) onAbort()
        // A reused worker has said 'ready' already: start at once.
        else if (!fresh) w.post({ type: 'run', inputs })
      })
    } finally {
      l.busy = false
    }
  }

  /** Ends every worker (tests; a closed lab). */
  dispose(): void {
    for (const l of this.lanes.values()) {
      l.abort?.('stopped')
      this.endWorker(l)
    }
  }
}
