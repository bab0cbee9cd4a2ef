// The code cell's state: its runner (runner.svelte.ts) against a fake worker that speaks the
// runtime's protocol (displays stream in, the worker of a source is reused, a changed source or a
// stop makes a fresh one, a runaway run is terminated at once, errors carry the user's line, a
// worker that cannot load says so); the checker (sucrase: types stripped, syntax errors with the
// line); what display() turns values into; the error position from a stack; the inputs the
// worker gets (candles, the cells above by name, never the token); and the cell in the notebook.
import { render, screen } from '@testing-library/svelte'
import { describe, expect, it, vi } from 'vitest'
import { backtestOn } from '../../../lab/notebook/cells/backtest/run.ts'
import { defaultBacktestParams } from '../../../lab/notebook/cells/backtest/params.ts'
import { compileCell } from '../../../lab/notebook/cells/code/compile.ts'
import { deepFreeze, toDisplayItem, userPosition } from '../../../lab/notebook/cells/code/display.ts'
import { codeInputs } from '../../../lab/notebook/cells/code/inputs.ts'
import {
  MAX_TABLE_ROWS,
  PRELUDE_LINES,
  type CodeInputs,
  type DisplayItem,
  type PageMessage,
  type WorkerMessage,
} from '../../../lab/notebook/cells/code/protocol.ts'
import { setCodeRunner } from '../../../lab/notebook/cells/code/run.ts'
import { CodeError, CodeRunner, MAX_IDLE, type CodeWorker } from '../../../lab/notebook/cells/code/runner.svelte.ts'
import { moduleSource } from '../../../lab/notebook/cells/code/worker-source.ts'
import { codeKind } from '../../../lab/notebook/cells/code/index.ts'
import type { CellAbove, SeriesValue } from '../../../lab/notebook/cells/types.ts'
import { randomWalk } from '../../helpers/series.ts'
import { fakeServices } from './fixtures.ts'
import CellFrame from '../../../lab/notebook/ui/CellFrame.svelte'
import { NotebookSession } from '../../../lab/notebook/state/session.svelte.ts'
import { newId } from '../../../lab/notebook/model/ids.ts'

/** What the fake worker does with a run: a script of messages, or hang (a `while (true) {}`). */
type Script = (inputs: CodeInputs) => WorkerMessage[] | 'hang' | 'fail'

interface FakeWorker extends CodeWorker {
  readonly code: string
  terminated: boolean
  readonly posted: PageMessage[]
}

function fakeFactory(script: Script): { make: (code: string) => FakeWorker; made: FakeWorker[] } {
  const made: FakeWorker[] = []
  const make = (code: string): FakeWorker => {
    let onMessage: (m: WorkerMessage) => void = () => {}
    let onFail: (m: string) => void = () => {}
    const w: FakeWorker = {
      code,
      terminated: false,
      posted: [],
      post(m) {
        w.posted.push(m)
        const out = script(m.inputs)
        if (out === 'hang') return
        if (out === 'fail') {
          setTimeout(() => onFail(''), 0)
          return
        }
        // Asynchronous like a worker, one message per task.
        out.forEach((msg, i) => setTimeout(() => !w.terminated && onMessage(msg), i + 1))
      },
      onMessage: (fn) => (onMessage = fn),
      onFail: (fn) => (onFail = fn),
      terminate() {
        w.terminated = true
      },
    }
    made.push(w)
    setTimeout(() => !w.terminated && onMessage({ type: 'ready' }), 0)
    return w
  }
  return { make, made }
}

const ok = (code: string): Promise<{ ok: true; code: string }> => Promise.resolve({ ok: true, code })
const noInputs: CodeInputs = { candles: null, cells: [] }
const signal = (): AbortSignal => new AbortController().signal
const text = (t: string): DisplayItem => ({ kind: 'text', text: t })

const displays: Script = () => [
  { type: 'phase', phase: 'loading' },
  { type: 'phase', phase: 'running' },
  { type: 'display', item: text('one') },
  { type: 'display', item: text('two') },
  { type: 'done', loadMs: 12, runMs: 3 },
]

describe('code runner', () => {
  it('streams displays, resolves with them, and reuses the worker of an unchanged source', async () => {
    const f = fakeFactory(displays)
    const r = new CodeRunner(f.make, ok)
    const lane = r.lane('c1')
    const p = r.run('c1', 'display(1)', noInputs, signal())
    await vi.waitFor(() => expect(lane.items.length).toBeGreaterThan(0))
    expect(['running', 'done']).toContain(lane.phase)
    const out = await p
    expect(out.items).toEqual([text('one'), text('two')])
    expect(out).toMatchObject({ loadMs: 12, runMs: 3, freshWorker: true })
    expect(lane.phase).toBe('done')
    // Again, same source: the same worker (danfojs stays loaded), no second 'ready' needed.
    const again = await r.run('c1', 'display(1)', noInputs, signal())
    expect(again.freshWorker).toBe(false)
    expect(r.workersMade).toBe(1)
    expect(f.made[0]!.posted).toHaveLength(2)
    // Changed source: a new worker, the old one ended.
    await r.run('c1', 'display(2)', noInputs, signal())
    expect(r.workersMade).toBe(2)
    expect(f.made[0]!.terminated).toBe(true)
    expect(f.made[1]!.code).toBe('display(2)')
  })

  it('keeps the previous outputs until the new run shows its first one', async () => {
    let n = 0
    const f = fakeFactory(() =>
      n++ === 0
        ? displays(noInputs)
        : [
            { type: 'phase', phase: 'running' },
            { type: 'done', loadMs: 1, runMs: 1 },
          ],
    )
    const r = new CodeRunner(f.make, ok)
    await r.run('c1', 'x', noInputs, signal())
    const lane = r.lane('c1')
    const p = r.run('c1', 'x', noInputs, signal())
    expect(lane.items).toHaveLength(2)
    await p
    // That run displayed nothing: the old outputs go.
    expect(lane.items).toEqual([])
  })

  it('stop terminates a runaway run at once; the next run gets a fresh worker', async () => {
    let hang = true
    const f = fakeFactory((i) => (hang ? 'hang' : displays(i)))
    const r = new CodeRunner(f.make, ok)
    const ac = new AbortController()
    const p = r.run('c1', 'while (true) {}', noInputs, ac.signal)
    await vi.waitFor(() => expect(f.made[0]!.posted).toHaveLength(1))
    const t0 = performance.now()
    ac.abort()
    await expect(p).rejects.toMatchObject({ name: 'AbortError' })
    expect(performance.now() - t0).toBeLessThan(1000)
    expect(f.made[0]!.terminated).toBe(true)
    expect(r.lane('c1').phase).toBe('stopped')
    hang = false
    const out = await r.run('c1', 'while (true) {}', noInputs, signal())
    expect(out.freshWorker).toBe(true)
    expect(r.workersMade).toBe(2)
    // runner.stop(lane) does the same as the signal.
    hang = true
    const q = r.run('c1', 'y', noInputs, signal())
    await vi.waitFor(() => expect(f.made[2]!.posted).toHaveLength(1))
    r.stop('c1')
    await expect(q).rejects.toMatchObject({ name: 'AbortError' })
    expect(f.made[2]!.terminated).toBe(true)
  })

  it('a newer run supersedes one in flight', async () => {
    let hang = true
    const f = fakeFactory((i) => (hang ? 'hang' : displays(i)))
    const r = new CodeRunner(f.make, ok)
    const first = r.run('c1', 'a', noInputs, signal())
    await vi.waitFor(() => expect(f.made[0]!.posted).toHaveLength(1))
    hang = false
    const second = r.run('c1', 'a', noInputs, signal())
    await expect(first).rejects.toMatchObject({ name: 'AbortError' })
    await expect(second).resolves.toMatchObject({ freshWorker: true })
    expect(f.made[0]!.terminated).toBe(true)
  })

  it("reports the user's line: a syntax error before any worker, a thrown error from the worker", async () => {
    const f = fakeFactory(() => [
      { type: 'error', name: 'TypeError', message: "Cannot read properties of null (reading 'foo')", line: 3, column: 6 },
    ])
    const r = new CodeRunner(f.make)
    const bad = r.run('c1', 'const a = 1\nconst b = )\nconst c = 2', noInputs, signal())
    await expect(bad).rejects.toBeInstanceOf(CodeError)
    const e1 = r.lane('c1').error!
    expect(e1.name).toBe('SyntaxError')
    expect(e1.line).toBe(2)
    expect(r.workersMade).toBe(0)
    const p = r.run('c1', 'const a = 1\nconst b = null\nb.foo', noInputs, signal())
    await expect(p).rejects.toThrow("Line 3, column 6: TypeError: Cannot read properties of null (reading 'foo')")
    expect(r.lane('c1').error).toMatchObject({ line: 3, column: 6 })
    expect(r.lane('c1').phase).toBe('error')
  })

  it('a worker that cannot load its module fails in words and is replaced next time', async () => {
    const f = fakeFactory(() => 'fail')
    const r = new CodeRunner(f.make, ok)
    await expect(r.run('c1', 'let x = 1; let x = 2', noInputs, signal())).rejects.toThrow(/could not be loaded/)
    expect(f.made[0]!.terminated).toBe(true)
  })

  it(`ends idle workers beyond ${MAX_IDLE}`, async () => {
    const f = fakeFactory(displays)
    const r = new CodeRunner(f.make, ok)
    for (const id of ['a', 'b', 'c', 'd']) await r.run(id, id, noInputs, signal())
    expect(f.made.filter((w) => !w.terminated)).toHaveLength(MAX_IDLE + 1)
    expect(f.made[0]!.terminated).toBe(true)
  })
})

describe('code cell pieces', () => {
  it('the checker strips types, keeps lines, allows await and return at the top, and names the line of a syntax error', async () => {
    const c = await compileCell('const a: number = 1\nconst b = await Promise.resolve(a)\nreturn b')
    expect(c).toEqual({ ok: true, code: 'const a = 1\nconst b = await Promise.resolve(a)\nreturn b' })
    const bad = await compileCell('display(1)\ndisplay(2\nconst x = 3')
    expect(bad.ok).toBe(false)
    if (!bad.ok) expect(bad.line).toBe(3)
  })

  it('the worker module puts the code after PRELUDE_LINES lines, inside an async function', () => {
    const src = moduleSource('http://127.0.0.1:1/assets/runtime.js', 'display(1)')
    const lines = src.split('\n')
    expect(lines[PRELUDE_LINES]).toBe('display(1)')
    expect(lines[0]).toContain('await import("http://127.0.0.1:1/assets/runtime.js")')
    expect(lines[1]).toContain('async function (candles, cells, display, dfd)')
  })

  it('finds the line in a stack by the module URL', () => {
    const url = 'blob:http://127.0.0.1:1/abc'
    const stack = `TypeError: x\n    at foo (http://127.0.0.1:1/assets/bundle.esm.js:1:99)\n    at run (${url}:5:7)\n    at ${url}:1:1`
    expect(userPosition(stack, url, PRELUDE_LINES)).toEqual({ line: 3, column: 7 })
    expect(userPosition('Error\n    at nowhere', url, PRELUDE_LINES)).toBeNull()
  })

  it('display() turns values into tables, figures and text', () => {
    expect(toDisplayItem('hi')).toEqual({ kind: 'text', text: 'hi' })
    expect(toDisplayItem(42)).toEqual({ kind: 'text', text: '42' })
    const recs = toDisplayItem([
      { a: 1, b: 'x' },
      { a: 2, c: new Date(0) },
    ])
    expect(recs).toEqual({
      kind: 'table',
      title: null,
      columns: ['a', 'b', 'c'],
      rows: [
        [1, 'x', null],
        [2, null, '1970-01-01T00:00:00.000Z'],
      ],
      totalRows: 2,
      index: null,
    })
    const cols = toDisplayItem({ x: [1, 2, 3], y: new Float64Array([4, 5, 6]) }, {}, 'cols')
    expect(cols).toMatchObject({
      kind: 'table',
      title: 'cols',
      columns: ['x', 'y'],
      rows: [
        [1, 4],
        [2, 5],
        [3, 6],
      ],
      totalRows: 3,
    })
    const big = toDisplayItem(new Float64Array(MAX_TABLE_ROWS + 10))
    expect(big).toMatchObject({ kind: 'table', totalRows: MAX_TABLE_ROWS + 10 })
    if (big.kind === 'table') expect(big.rows).toHaveLength(MAX_TABLE_ROWS)
    const fig = toDisplayItem({ data: [{ x: [1], y: [2], type: 'scatter' }], layout: { title: { text: 't' } } })
    expect(fig).toEqual({ kind: 'figure', title: null, data: [{ x: [1], y: [2], type: 'scatter' }], layout: { title: { text: 't' } } })
    // A DataFrame-like (danfojs's shape) with its index.
    class Frame {
      columns = ['a', 'b']
      values = [
        [1, 2],
        [3, 4],
      ]
      index = ['r1', 'r2']
      shape = [2, 2]
    }
    expect(toDisplayItem(new Frame(), { DataFrame: Frame })).toEqual({
      kind: 'table',
      title: null,
      columns: ['a', 'b'],
      rows: [
        [1, 2],
        [3, 4],
      ],
      totalRows: 2,
      index: ['r1', 'r2'],
    })
    expect(toDisplayItem({ nested: { a: 1 } })).toEqual({ kind: 'text', text: '{\n  "nested": {\n    "a": 1\n  }\n}' })
  })

  it('deep-freezes plain values (typed arrays are copies and stay as they are)', () => {
    const v = deepFreeze({ a: { b: [1, 2] }, t: new Float64Array(2) })
    expect(Object.isFrozen(v.a.b)).toBe(true)
    expect(() => {
      ;(v.a.b as number[]).push(3)
    }).toThrow()
  })

  it('inputs: the candles, the cells above by title or <kind><n>, and nothing else (no token)', () => {
    localStorage.setItem('edge-token', 'f'.repeat(64))
    const series = randomWalk(3, 400)
    const source: SeriesValue = { key: { venue: 'sim', market: 'KRW-BTC', timeframe: '1m' }, fromMs: 0, toMs: 1, series, covered: [] }
    const bt = backtestOn(source, { ...defaultBacktestParams(), strategy: 'momentum', values: { period: 5 } })
    const above: CellAbove[] = [
      { id: 'n', kind: 'note', title: '', output: null, exports: () => undefined },
      { id: 'b1', kind: 'backtest', title: '', output: bt, exports: () => undefined },
      { id: 'b2', kind: 'backtest', title: 'Tuned', output: bt, exports: () => undefined },
      { id: 'x', kind: 'optimize', title: '', output: {}, exports: () => ({ tables: { top: { combo: [1, 2] } } }) },
    ]
    const inputs = codeInputs(source, above)
    expect(inputs.candles?.columns.close).toBe(series.close)
    expect(inputs.cells.map((c) => [c.name, c.alias])).toEqual([
      ['backtest1', 'backtest1'],
      ['Tuned', 'backtest2'],
      ['optimize1', 'optimize1'],
    ])
    const b = inputs.cells[0]!
    expect(Object.keys(b.tables)).toEqual(['trades', 'equity'])
    expect(b.tables.trades!.entryPrice!.length).toBe(bt.result.trades.length)
    expect(b.tables.equity!.equity!.length).toBe(bt.result.equity.length)
    expect(b.values.metrics).toMatchObject({ trades: bt.result.metrics.trades })
    // It crosses to the worker by structured clone: plain data, no token anywhere.
    const cloned = structuredClone(inputs)
    expect(JSON.stringify(cloned, (_k, v: unknown) => (ArrayBuffer.isView(v) ? '[typed]' : v))).not.toContain('f'.repeat(64))
    localStorage.removeItem('edge-token')
  })
})

describe('code cell in the notebook', () => {
  it('runs from the header, shows tables and text, marks the line of an error, and stops', async () => {
    const services = fakeServices(`code-${newId()}`)
    let mode: 'ok' | 'error' | 'hang' = 'ok'
    const f = fakeFactory(() =>
      mode === 'hang'
        ? 'hang'
        : mode === 'error'
          ? [{ type: 'error', name: 'TypeError', message: 'boom', line: 2, column: 1 }]
          : [
              { type: 'display', item: { kind: 'table', title: 'T', columns: ['a'], rows: [[1], [2]], totalRows: 2, index: null } },
              { type: 'display', item: text('hello') },
              { type: 'done', loadMs: 5, runMs: 1 },
            ],
    )
    const runner = new CodeRunner(f.make, ok)
    setCodeRunner(services, runner)
    const cell = { id: 'c1', kind: 'code', title: '', collapsed: false, params: { source: 'display(1)\nfoo()' } }
    const session = new NotebookSession(
      { id: 'nb', title: 'n', createdMs: 0, updatedMs: 0, cells: [cell] },
      { services, onChange: () => {} },
    )
    render(CellFrame, { session, cell: session.doc.cells[0]!, index: 0, count: 1 })
    expect(codeKind.def.consumes).toEqual(['series'])
    await session.run('c1')
    expect(await screen.findByTestId('code-table')).toBeTruthy()
    expect(screen.getByTestId('code-text').textContent).toBe('hello')
    mode = 'error'
    await session.run('c1')
    expect(session.runOf('c1').status).toBe('error')
    expect(session.runOf('c1').error?.message).toBe('Line 2, column 1: TypeError: boom')
    await vi.waitFor(() => expect(screen.getByTestId('code-error-line').textContent).toContain('foo()'))
    mode = 'hang'
    const p = session.run('c1')
    await vi.waitFor(() => expect(screen.getByLabelText('Stop the run')).toBeTruthy())
    screen.getByLabelText('Stop the run').click()
    await p
    expect(session.runOf('c1').status).toBe('cancelled')
    await vi.waitFor(() => expect(screen.getByTestId('code-stopped')).toBeTruthy())
    expect(f.made.at(-1)!.terminated).toBe(true)
  })
})
