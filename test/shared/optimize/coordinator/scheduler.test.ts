import { describe, expect, it } from 'vitest'
import { createCanceller, guidedChunks, scheduleChunks } from '../../../../shared/optimize/coordinator/index.ts'
import type { ChunkExecutor, ChunkRange } from '../../../../shared/optimize/coordinator/index.ts'

interface Result {
  readonly rows: Float64Array
}

const chunks: ChunkRange[] = Array.from({ length: 10 }, (_, i) => ({ index: i, start: i * 2, end: i * 2 + 2 }))
const tick = (n: number): Promise<void> => new Promise((r) => setTimeout(r, n))

function exec(delayMs: number, seen: number[]): ChunkExecutor<Result> {
  return {
    run: async (c) => {
      await tick(delayMs)
      seen.push(c.index)
      return { rows: new Float64Array([c.index]) }
    },
  }
}

describe('scheduleChunks', () => {
  it('runs every chunk exactly once and lets a free slot pull the next chunk', async () => {
    // The slow slot holds its first chunk until the fast slot has done all the others.
    const fast: number[] = []
    const slow: number[] = []
    const done: number[] = []
    let release: () => void = () => undefined
    const gate = new Promise<void>((r) => (release = r))
    const slowExec: ChunkExecutor<Result> = {
      run: async (c) => {
        await gate
        slow.push(c.index)
        return { rows: new Float64Array([c.index]) }
      },
    }
    const out = await scheduleChunks({
      chunks,
      executors: [exec(0, fast), slowExec],
      signal: new AbortController().signal,
      onChunkDone: (c, r) => {
        expect(r.rows[0]).toBe(c.index)
        done.push(c.index)
        if (done.length === 9) release()
      },
    })
    expect(out).toEqual({ kind: 'completed' })
    expect([...done].sort((a, b) => a - b)).toEqual(chunks.map((c) => c.index))
    expect(slow).toEqual([1])
    expect(fast).toEqual([0, 2, 3, 4, 5, 6, 7, 8, 9])
  })

  it('stops at an abort even while a chunk never answers, keeping what finished', async () => {
    const ctrl = new AbortController()
    const done: number[] = []
    const hanging: ChunkExecutor<Result> = {
      run: (c) => (c.index >= 3 ? new Promise(() => undefined) : Promise.resolve({ rows: new Float64Array(1) })),
    }
    const p = scheduleChunks({ chunks, executors: [hanging], signal: ctrl.signal, onChunkDone: (c) => void done.push(c.index) })
    await tick(5)
    ctrl.abort()
    expect(await p).toEqual({ kind: 'cancelled' })
    expect(done).toEqual([0, 1, 2])
  })

  it('reports a failing chunk and stops pulling new ones', async () => {
    const started: number[] = []
    const bad: ChunkExecutor<Result> = {
      run: async (c) => {
        started.push(c.index)
        if (c.index === 2) throw new Error('boom')
        return { rows: new Float64Array(1) }
      },
    }
    const out = await scheduleChunks({ chunks, executors: [bad], signal: new AbortController().signal, onChunkDone: () => undefined })
    expect(out).toEqual({ kind: 'failed', error: 'boom', chunkIndex: 2 })
    expect(started).toEqual([0, 1, 2])
  })

  it('treats a failing hand-over (onChunkDone) as a failure', async () => {
    const out = await scheduleChunks({
      chunks: chunks.slice(0, 2),
      executors: [exec(0, [])],
      signal: new AbortController().signal,
      onChunkDone: () => Promise.reject(new Error('quota exceeded')),
    })
    expect(out).toMatchObject({ kind: 'failed', chunkIndex: 0, error: 'chunk 0: quota exceeded' })
  })

  it("takes the coordinator's own canceller as its signal", async () => {
    const stop = createCanceller()
    const done: number[] = []
    const p = scheduleChunks({ chunks, executors: [exec(1, [])], signal: stop.signal, onChunkDone: (c) => void done.push(c.index) })
    await tick(4)
    stop.cancel()
    stop.cancel() // twice is harmless
    expect(await p).toEqual({ kind: 'cancelled' })
    expect(done.length).toBeLessThan(chunks.length)
  })
})

describe('guidedChunks', () => {
  it('cover [0, count) in order, large first and small last, or in fixed sizes', () => {
    const g = guidedChunks(1000, 2)
    expect(g[0]).toEqual({ index: 0, start: 0, end: 167 })
    expect(g.at(-1)!.end).toBe(1000)
    for (let i = 1; i < g.length; i++) {
      expect(g[i]!.start).toBe(g[i - 1]!.end)
      expect(g[i]!.index).toBe(i)
      expect(g[i]!.end - g[i]!.start).toBeLessThanOrEqual(g[i - 1]!.end - g[i - 1]!.start)
    }
    expect(g.at(-1)!.end - g.at(-1)!.start).toBe(1)
    expect(guidedChunks(3000, 2)[0]!.end).toBe(256) // capped
    expect(guidedChunks(7, 2, 3).map((c) => c.end - c.start)).toEqual([3, 3, 1])
    expect(guidedChunks(0, 2)).toEqual([])
  })
})
