// Before a code cell's source goes to a worker: sucrase reads it (types stripped, so TypeScript
// is welcome too; line numbers kept) inside the async function it will run in, so `await` and
// `return` work at the top and a syntax error is reported with the user's line. sucrase is
// imported on the first run (it stays out of the page's first load). It does not catch every
// early error (a duplicate `let`): the worker's own parse does, without a position.
import { MAX_SOURCE_BYTES } from './params.ts'

export type Compiled =
  | { readonly ok: true; readonly code: string }
  | { readonly ok: false; readonly message: string; readonly line: number | null; readonly column: number | null }

const HEAD = 'async function __cell__() {\n'
const TAIL = '\n}'

export async function compileCell(source: string): Promise<Compiled> {
  if (source.length > MAX_SOURCE_BYTES)
    return { ok: false, message: `the code is over ${MAX_SOURCE_BYTES} characters`, line: null, column: null }
  const { transform } = await import('sucrase')
  let out: string
  try {
    out = transform(HEAD + source + TAIL, { transforms: ['typescript'], disableESTransforms: true, production: true }).code
  } catch (e) {
    const m = e instanceof Error ? e.message : String(e)
    const pos = /\((\d+):(\d+)\)\s*$/.exec(m)
    return {
      ok: false,
      message: m.replace(/\s*\(\d+:\d+\)\s*$/, ''),
      line: pos ? Number(pos[1]) - 1 : null,
      column: pos ? Number(pos[2]) : null,
    }
  }
  if (!out.startsWith(HEAD) || !out.endsWith(TAIL)) return { ok: true, code: source }
  return { ok: true, code: out.slice(HEAD.length, out.length - TAIL.length) }
}
