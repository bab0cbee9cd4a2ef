// A code cell's worker: a module made from the user's code (a blob: URL; the lab's CSP allows
// blob: workers but no eval, so the code cannot be handed to a standing worker as text). Its
// first line imports the runtime (runtime.ts, built by Vite as a worker entry, served from the
// lab's origin, so a script the CSP allows); its second opens the function the code runs in.
// A new worker per source: the same source runs again in the worker it already has.
import runtimeUrl from './runtime.ts?worker&url'
import { PRELUDE_LINES, type PageMessage, type WorkerMessage } from './protocol.ts'
import type { CodeWorker, CodeWorkerFactory } from './runner.svelte.ts'

export function moduleSource(runtimeHref: string, body: string): string {
  const prelude = [
    `await import(${JSON.stringify(runtimeHref)});`,
    'globalThis.__labCode.start(async function (candles, cells, display, dfd) {',
  ]
  if (prelude.length !== PRELUDE_LINES) throw new Error('the prelude must be PRELUDE_LINES lines')
  return `${prelude.join('\n')}\n${body}\n});\n`
}

export const blobWorkerFactory: CodeWorkerFactory = (code: string): CodeWorker => {
  const src = moduleSource(new URL(runtimeUrl, location.href).href, code)
  const url = URL.createObjectURL(new Blob([src], { type: 'text/javascript' }))
  const w = new Worker(url, { type: 'module', name: 'code cell' })
  let revoked = false
  const revoke = (): void => {
    if (!revoked) URL.revokeObjectURL(url)
    revoked = true
  }
  let onMessage: (m: WorkerMessage) => void = () => {}
  let onFail: (message: string) => void = () => {}
  w.addEventListener('message', (ev: MessageEvent<WorkerMessage>) => {
    if (ev.data.type === 'ready') revoke()
    onMessage(ev.data)
  })
  w.addEventListener('error', (ev) => {
    ev.preventDefault()
    onFail(ev instanceof ErrorEvent && ev.message ? ev.message : '')
  })
  return {
    post: (m: PageMessage) => w.postMessage(m),
    onMessage: (fn) => (onMessage = fn),
    onFail: (fn) => (onFail = fn),
    terminate: () => {
      w.terminate()
      revoke()
    },
  }
}
