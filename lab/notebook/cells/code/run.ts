// Running a code cell: the source is checked and run in the cell's worker (runner.svelte.ts) with
// the candles of the data cell above and the outputs of the cells above (inputs.ts). The output is
// what it displayed; an error says the line. Stop terminates the worker.
import type { LabServices } from '../../services.ts'
import type { RunContext } from '../types.ts'
import { codeInputs } from './inputs.ts'
import type { CodeParams } from './params.ts'
import type { DisplayItem } from './protocol.ts'
import { CodeRunner } from './runner.svelte.ts'
import { blobWorkerFactory } from './worker-source.ts'

export interface CodeOutput {
  readonly items: readonly DisplayItem[]
  readonly loadMs: number
  readonly runMs: number
  readonly freshWorker: boolean
}

// One runner per set of services (the lab has one; tests make their own).
const runners = new WeakMap<LabServices, CodeRunner>()

export function codeRunnerOf(services: LabServices): CodeRunner {
  let r = runners.get(services)
  if (r === undefined) {
    r = new CodeRunner(blobWorkerFactory)
    runners.set(services, r)
  }
  return r
}

/** Tests: the runner the cells of `services` use. */
export function setCodeRunner(services: LabServices, runner: CodeRunner): void {
  runners.set(services, runner)
}

export async function runCodeCell(ctx: RunContext<CodeParams>): Promise<CodeOutput> {
  const runner = codeRunnerOf(ctx.services)
  // The candles cross to the worker (and become a DataFrame there) only for code that names them.
  const usesCandles = /\bcandles\b/.test(ctx.params.source)
  const inputs = codeInputs(usesCandles ? ctx.inputs.series : undefined, ctx.above ?? [])
  ctx.progress({ fraction: null, text: 'starting' })
  const r = await runner.run(ctx.cellId, ctx.params.source, inputs, ctx.signal)
  return { items: r.items, loadMs: r.loadMs, runMs: r.runMs, freshWorker: r.freshWorker }
}
