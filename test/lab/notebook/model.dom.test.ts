// The notebook's pure model: cell list operations, the staleness rule and the JSON file format.
import { describe, expect, it } from 'vitest'
import { duplicateCell, insertCell, moveCell, removeCell } from '../../../lab/notebook/model/cells.ts'
import { freshnessOf, paramsKeyOf, type FreshnessCell } from '../../../lab/notebook/model/freshness.ts'
import { NOTEBOOK_FORMAT, parseNotebookFile, toNotebookFile } from '../../../lab/notebook/model/file.ts'
import { exampleNotebook } from '../../../lab/notebook/model/example.ts'
import type { CellDoc } from '../../../lab/notebook/model/types.ts'
import { paramsSchemaOf } from '../../../lab/notebook/cells/registry.ts'
import { NOW } from './fixtures.ts'

const note = (id: string, source = id): CellDoc => ({ id, kind: 'note', title: '', collapsed: false, params: { source } })
const ids = (cells: readonly CellDoc[]): string[] => cells.map((c) => c.id)

describe('cell list operations', () => {
  const cells = [note('a'), note('b'), note('c')]
  it('inserts, moves, duplicates and removes without touching the input', () => {
    expect(ids(insertCell(cells, 1, note('x')))).toEqual(['a', 'x', 'b', 'c'])
    expect(ids(insertCell(cells, 99, note('x')))).toEqual(['a', 'b', 'c', 'x'])
    expect(ids(moveCell(cells, 'a', 1))).toEqual(['b', 'a', 'c'])
    expect(ids(moveCell(cells, 'c', -1))).toEqual(['a', 'c', 'b'])
    expect(ids(moveCell(cells, 'a', -1))).toEqual(['a', 'b', 'c'])
    expect(ids(moveCell(cells, 'c', 1))).toEqual(['a', 'b', 'c'])
    expect(ids(removeCell(cells, 'b'))).toEqual(['a', 'c'])
    const dup = duplicateCell(cells, 'b', 'b2')
    expect(ids(dup)).toEqual(['a', 'b', 'b2', 'c'])
    expect(dup[2]!.params).toEqual(cells[1]!.params)
    expect(dup[2]!.params).not.toBe(cells[1]!.params)
    expect(ids(cells)).toEqual(['a', 'b', 'c'])
  })
})

describe('freshness', () => {
  const data = (id: string, params: unknown, rev: number, ran: unknown = params): FreshnessCell => ({
    id,
    params,
    produces: 'series',
    consumes: [],
    live: false,
    rev,
    stamp: rev === 0 ? null : { paramsKey: paramsKeyOf(ran), inputs: {} },
  })
  const consumer = (id: string, src: { cellId: string; rev: number } | null): FreshnessCell => ({
    id,
    params: { p: 1 },
    consumes: ['series'],
    live: false,
    rev: src === null ? 0 : 1,
    stamp: src === null ? null : { paramsKey: paramsKeyOf({ p: 1 }), inputs: { series: src } },
  })

  it('a cell that never ran is "never"; one whose inputs match its run is fresh', () => {
    const f = freshnessOf([data('d', { m: 'A' }, 1), consumer('c', { cellId: 'd', rev: 1 }), consumer('n', null)])
    expect(f.get('d')).toEqual({ state: 'fresh' })
    expect(f.get('c')).toEqual({ state: 'fresh' })
    expect(f.get('n')).toEqual({ state: 'never' })
  })

  it('own parameters changed since the run → stale (key order does not matter)', () => {
    expect(freshnessOf([data('d', { a: 1, b: 2 }, 1, { b: 2, a: 1 })]).get('d')!.state).toBe('fresh')
    expect(freshnessOf([data('d', { m: 'B' }, 1, { m: 'A' })]).get('d')).toMatchObject({ state: 'stale' })
  })

  it('the data above re-ran, changed its inputs, moved away or is another cell → the consumer is stale', () => {
    expect(freshnessOf([data('d', {}, 2), consumer('c', { cellId: 'd', rev: 1 })]).get('c')).toMatchObject({
      state: 'stale',
      reason: 'the data above changed',
    })
    expect(freshnessOf([data('d', { m: 'B' }, 1, { m: 'A' }), consumer('c', { cellId: 'd', rev: 1 })]).get('c')).toMatchObject({
      state: 'stale',
      reason: 'the data above is stale',
    })
    expect(freshnessOf([consumer('c', { cellId: 'd', rev: 1 }), data('d', {}, 1)]).get('c')).toMatchObject({ state: 'stale' })
    expect(freshnessOf([data('d', {}, 1), data('e', {}, 1), consumer('c', { cellId: 'd', rev: 1 })]).get('c')).toMatchObject({
      state: 'stale',
    })
  })

  it('live cells (notes) are never stale', () => {
    expect(freshnessOf([{ id: 'n', params: { source: 'x' }, consumes: [], live: true, rev: 0, stamp: null }]).get('n')).toEqual({
      state: 'fresh',
    })
  })
})

describe('notebook file', () => {
  const doc = exampleNotebook(NOW)
  const text = JSON.stringify(toNotebookFile(doc, NOW))

  it('round-trips a notebook exactly (cells, params, titles, collapse)', () => {
    const r = parseNotebookFile(text, paramsSchemaOf)
    expect(r.ok).toBe(true)
    if (!r.ok) return
    expect(r.value.title).toBe(doc.title)
    expect(r.value.cells).toEqual(doc.cells)
    expect(JSON.parse(text)).toMatchObject({ format: NOTEBOOK_FORMAT, version: 1 })
  })

  it("carries a cell's view settings (ui) both ways and refuses malformed ones", () => {
    const withUi = {
      ...doc,
      cells: doc.cells.map((c, i) => (i === 3 ? { ...c, ui: { tab: 'lookahead', selected: 4, sortDir: 'desc' } } : c)),
    }
    const t = JSON.stringify(toNotebookFile(withUi, NOW))
    const r = parseNotebookFile(t, paramsSchemaOf)
    expect(r.ok && r.value.cells[3]!.ui).toEqual({ tab: 'lookahead', selected: 4, sortDir: 'desc' })
    expect(r.ok && 'ui' in r.value.cells[0]!).toBe(false)
    const nested = t.replace('"selected":4', '"selected":{"x":1}')
    const res = parseNotebookFile(nested, paramsSchemaOf)
    expect(res.ok ? 'accepted' : res.error.message).toMatch(/damaged: notebook\.cells\.3\.ui\.selected/)
  })

  const bad = (mutate: (f: Record<string, unknown>) => unknown): string => {
    const f = JSON.parse(text) as Record<string, unknown>
    return JSON.stringify(mutate(f) ?? f)
  }
  const errorOf = (t: string): string => {
    const r = parseNotebookFile(t, paramsSchemaOf)
    return r.ok ? 'accepted' : r.error.message
  }

  it('refuses bad files with a clear message', () => {
    expect(errorOf('{ not json')).toMatch(/not valid JSON/)
    expect(errorOf('{"cells": []}')).toMatch(/not a notebook export/)
    expect(errorOf(bad((f) => ({ ...f, version: 9 })))).toMatch(/newer lab \(schema version 9\)/)
    expect(errorOf(bad((f) => ({ ...f, notebook: { title: 'x' } })))).toMatch(/damaged: notebook\.cells/)
    const cells = (f: Record<string, unknown>): Record<string, unknown>[] => (f.notebook as { cells: Record<string, unknown>[] }).cells
    expect(
      errorOf(
        bad((f) => {
          cells(f)[1]!.kind = 'rocket'
        }),
      ),
    ).toMatch(/Cell 2 is of kind "rocket"/)
    expect(
      errorOf(
        bad((f) => {
          cells(f)[1]!.params = { venue: 'sim', market: 'btc', timeframe: '1m', range: { mode: 'last', days: 2 } }
        }),
      ),
    ).toMatch(/Cell 2 \(data\) has bad inputs: market: expected a market code/)
    expect(
      errorOf(
        bad((f) => {
          cells(f)[2]!.id = cells(f)[0]!.id
        }),
      ),
    ).toMatch(/repeats the id/)
    // A built-in strategy's values are checked against its schema at the door.
    const withValues = (strategy: string, values: Record<string, number>): string =>
      errorOf(
        bad((f) => {
          const p = cells(f)[3]!.params as Record<string, unknown>
          p.strategy = strategy
          p.values = values
        }),
      )
    expect(withValues('ensemble', { 'momentum.period': 1e9 })).toMatch(
      /Cell 4 \(backtest\) has bad inputs: .*'momentum\.period': 1000000000 is outside \[1, 100\]/,
    )
    expect(withValues('ensemble', { bogus: 3 })).toMatch(/Cell 4 \(backtest\) has bad inputs: .*'bogus': unknown parameter/)
    expect(withValues('rocket', {})).toMatch(/Cell 4 \(backtest\) has bad inputs: unknown strategy 'rocket'/)
    expect(withValues('ensemble', { 'momentum.period': 20 })).toBe('accepted')
    // A user strategy's schema is in its source: its values are checked when the worker loads it.
    expect(withValues('user.rsi-cross', { period: 14 })).toBe('accepted')
  })
})
