// Which checkpoint chunks (contiguous combo ranges) are complete as the distinct simulations of a
// globally de-duplicated sweep come back. A chunk is complete when every simulation its combos use
// is known; its rows are then copied from the simulations' rows. Simulations used by a chunk that
// was already checkpointed (resume) are known from the stored rows and never run again.
import { METRIC_COUNT } from '../../shared/metrics/types.ts'
import { expandRows } from '../../shared/optimize/index.ts'
import type { SimPlan } from '../../shared/optimize/index.ts'
import type { ChunkRange } from './chunk-scheduler.ts'

export class ChunkCoverage {
  /** Simulations still to run, in order. */
  readonly pendingSims: Int32Array
  /** Unfinished chunks whose simulations were all known from the start. */
  readonly readyChunks: readonly number[]
  private readonly sims: SimPlan
  private readonly chunks: readonly ChunkRange[]
  private readonly rows: Float64Array
  private readonly simRows: Float64Array
  private readonly missing: Int32Array
  /** sim → unfinished chunks that use it (only for pending sims). */
  private readonly users: (number[] | undefined)[]

  /** `rows` holds the finished chunks' rows (combo order); completed chunks are written into it. */
  constructor(sims: SimPlan, chunks: readonly ChunkRange[], finished: Uint8Array, rows: Float64Array) {
    this.sims = sims
    this.chunks = chunks
    this.rows = rows
    this.simRows = new Float64Array(sims.simCount * METRIC_COUNT)
    const known = new Uint8Array(sims.simCount)
    for (const c of chunks) {
      if (finished[c.index] !== 1) continue
      for (let combo = c.start; combo < c.end; combo++) {
        const s = sims.simOf[combo]!
        if (known[s] === 1) continue
        known[s] = 1
        this.simRows.set(rows.subarray(combo * METRIC_COUNT, (combo + 1) * METRIC_COUNT), s * METRIC_COUNT)
      }
    }
    this.missing = new Int32Array(chunks.length)
    this.users = new Array(sims.simCount)
    const stamp = new Int32Array(sims.simCount).fill(-1)
    const ready: number[] = []
    for (const c of chunks) {
      if (finished[c.index] === 1) continue
      for (let combo = c.start; combo < c.end; combo++) {
        const s = sims.simOf[combo]!
        if (known[s] === 1 || stamp[s] === c.index) continue
        stamp[s] = c.index
        this.missing[c.index]!++
        ;(this.users[s] ??= []).push(c.index)
      }
      if (this.missing[c.index] === 0) ready.push(c.index)
    }
    const pending: number[] = []
    for (let s = 0; s < sims.simCount; s++) if (this.users[s] !== undefined) pending.push(s)
    this.pendingSims = Int32Array.from(pending)
    for (const k of ready) this.fill(k)
    this.readyChunks = ready
  }

  /** Rows of pendingSims[from …] arrived; returns the chunks this completed (rows already written). */
  add(from: number, simRows: Float64Array): number[] {
    const done: number[] = []
    const count = simRows.length / METRIC_COUNT
    for (let k = 0; k < count; k++) {
      const s = this.pendingSims[from + k]!
      this.simRows.set(simRows.subarray(k * METRIC_COUNT, (k + 1) * METRIC_COUNT), s * METRIC_COUNT)
      for (const chunk of this.users[s] ?? []) {
        if (--this.missing[chunk]! === 0) {
          this.fill(chunk)
          done.push(chunk)
        }
      }
    }
    return done
  }

  private fill(chunk: number): void {
    const c = this.chunks[chunk]!
    expandRows(this.sims, this.simRows, this.rows.subarray(c.start * METRIC_COUNT, c.end * METRIC_COUNT), c.start, c.end)
  }
}
