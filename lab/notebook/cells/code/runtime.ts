// The code cell's runtime inside its worker. The worker is a module made for each source (a blob:
// URL, worker-source.ts): it imports this file (built by Vite as a worker entry, served from the
// lab's own origin) and hands it the user's code as a function. The runtime loads danfojs (a
// dynamic import: it is fetched the first time a code cell runs, never with the page), builds
// `candles` as a DataFrame and `cells` (the outputs of the cells above, read-only: DataFrames
// built afresh for each run from copies, plain values deep-frozen), runs the function with
// `display`, and reports what it displayed, how long it took, or where it failed (the line in
// the user's code, from the error's stack). console.log and friends show in the output too.
// No token, no storage of the lab's: the worker is given data only.
import type * as DanfoModule from 'danfojs'
import { deepFreeze, logText, toDisplayItem, userPosition } from './display.ts'
import {
  MAX_DISPLAYS,
  PRELUDE_LINES,
  type CellIn,
  type CodeInputs,
  type ColumnsIn,
  type PageMessage,
  type WorkerMessage,
} from './protocol.ts'

type Danfo = typeof DanfoModule
type UserFn = (candles: unknown, cells: unknown, display: (v: unknown, title?: string) => void, dfd: Danfo) => Promise<unknown>

interface WorkerScope {
  postMessage(m: WorkerMessage): void
  addEventListener(type: 'message' | 'error' | 'unhandledrejection', fn: (ev: Event) => void): void
  location: { href: string }
}

const scope = globalThis as unknown as WorkerScope
let danfo: Promise<Danfo> | null = null
const loadDanfo = (): Promise<Danfo> => (danfo ??= import('danfojs'))

const pad = (n: number): string => String(n).padStart(2, '0')
const utcMinute = (ms: number): string => {
  const d = new Date(ms)
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`
}

function frameOf(dfd: Danfo, cols: ColumnsIn, withDate: boolean): InstanceType<Danfo['DataFrame']> {
  const data: Record<string, unknown[]> = {}
  for (const [name, col] of Object.entries(cols)) {
    data[name] = Array.from(col)
    if (withDate && name === 'time') data.date = Array.from(col as ArrayLike<number>, utcMinute)
  }
  return new dfd.DataFrame(data)
}

/** `cells`: by name (and by alias), tables as DataFrames built on first read, values frozen. */
function cellsOf(dfd: Danfo, list: readonly CellIn[]): Readonly<Record<string, unknown>> {
  const out: Record<string, unknown> = {}
  for (const c of list) {
    const entry: Record<string, unknown> = { kind: c.kind, title: c.title }
    for (const [k, v] of Object.entries(c.values)) entry[k] = deepFreeze(v)
    for (const [k, cols] of Object.entries(c.tables)) {
      let frame: unknown = null
      Object.defineProperty(entry, k, { enumerable: true, get: () => (frame ??= frameOf(dfd, cols, false)) })
    }
    Object.freeze(entry)
    if (!(c.name in out)) out[c.name] = entry
    if (!(c.alias in out)) Object.defineProperty(out, c.alias, { value: entry, enumerable: c.alias === c.name })
  }
  return Object.freeze(out)
}

function post(m: WorkerMessage): void {
  scope.postMessage(m)
}

function errorMessage(e: unknown): WorkerMessage {
  const err = e instanceof Error ? e : null
  const pos = err?.stack ? userPosition(err.stack, scope.location.href, PRELUDE_LINES) : null
  return {
    type: 'error',
    name: err?.name ?? 'Error',
    message: err ? err.message : String(e),
    line: pos?.line ?? null,
    column: pos?.column ?? null,
  }
}

export function start(fn: UserFn): void {
  let running = false
  let shown = 0
  const show = (m: WorkerMessage): void => {
    if (m.type === 'display' && shown++ >= MAX_DISPLAYS) {
      if (shown === MAX_DISPLAYS + 1)
        post({
          type: 'display',
          item: { kind: 'text', text: `… more than ${MAX_DISPLAYS} outputs: the rest are not shown`, stream: 'warn' },
        })
      return
    }
    post(m)
  }
  // Errors of callbacks the code left behind (a timer, a promise nobody awaited).
  scope.addEventListener('error', (ev) => {
    const e = ev as ErrorEvent
    show({
      type: 'display',
      item: { kind: 'text', text: `Uncaught ${e.message}${e.lineno ? ` (line ${e.lineno - PRELUDE_LINES})` : ''}`, stream: 'error' },
    })
    ev.preventDefault()
  })
  scope.addEventListener('unhandledrejection', (ev) => {
    const r = (ev as PromiseRejectionEvent).reason
    show({
      type: 'display',
      item: { kind: 'text', text: `Unhandled rejection: ${r instanceof Error ? r.message : String(r)}`, stream: 'error' },
    })
    ev.preventDefault()
  })

  // addEventListener, not onmessage: a library evaluated in here may set onmessage for itself
  // (danfojs's bundle does), which would silence the cell's next runs.
  scope.addEventListener('message', (ev) => {
    const msg = (ev as MessageEvent<PageMessage>).data
    if (msg?.type !== 'run' || running) return
    running = true
    shown = 0
    void runOnce(msg.inputs, fn, show).finally(() => (running = false))
  })
  post({ type: 'ready' })
}

async function runOnce(inputs: CodeInputs, fn: UserFn, show: (m: WorkerMessage) => void): Promise<void> {
  const t0 = performance.now()
  let dfd: Danfo
  try {
    show({ type: 'phase', phase: 'loading' })
    dfd = await loadDanfo()
  } catch (e) {
    show({
      type: 'error',
      name: 'Error',
      message: `danfojs could not load: ${e instanceof Error ? e.message : String(e)}`,
      line: null,
      column: null,
    })
    return
  }
  const classes = { DataFrame: dfd.DataFrame, Series: dfd.Series }
  const display = (v: unknown, title?: string): void => {
    let item
    try {
      item = toDisplayItem(v, classes, typeof title === 'string' ? title : null)
      show({ type: 'display', item })
    } catch (e) {
      // A figure holding a function (or another value a message cannot carry).
      show({
        type: 'display',
        item: {
          kind: 'text',
          text: `display(): this value cannot be shown (${e instanceof Error ? e.message : String(e)})`,
          stream: 'error',
        },
      })
    }
  }
  const c = inputs.candles
  const candles = c === null ? null : frameOf(dfd, c.columns, true)
  const cells = cellsOf(dfd, inputs.cells)
  const t1 = performance.now()
  show({ type: 'phase', phase: 'running' })
  const saved = { log: console.log, info: console.info, warn: console.warn, error: console.error }
  const text =
    (stream: 'log' | 'warn' | 'error') =>
    (...args: unknown[]): void =>
      show({ type: 'display', item: { kind: 'text', stream, text: args.map(logText).join(' ') } })
  console.log = text('log')
  console.info = text('log')
  console.warn = text('warn')
  console.error = text('error')
  try {
    const result = await fn(candles, cells, display, dfd)
    if (result !== undefined) display(result)
    show({ type: 'done', loadMs: t1 - t0, runMs: performance.now() - t1 })
  } catch (e) {
    show(errorMessage(e))
  } finally {
    Object.assign(console, saved)
  }
}

;(globalThis as unknown as { __labCode?: { start: typeof start } }).__labCode = { start }
