// Which checkpoint chunks (contiguous combo ranges) are complete as the distinct simulations of a
// globally de-duplicated sweep come back. A chunk is complete when every simulation its combos use
// is known; its rows are then copied from the simulations' rows. Simulations used by a chunk that
// was already checkpointed (resume) are known from the stored rows and never run again.
// The sim → chunks index is kept flat (offsets + one Int32Array), a few bytes per combo, so it
// fits the 10-million-combo sweeps the CLI allows.
import { METRIC_COUNT } from '../../metrics/types.ts'
import { expandRows } from '../sim-plan.ts'
import type { SimPlan } from '../sim-plan.ts'
import type { ChunkRange } from './scheduler.ts'

export class ChunkCoverage {
  /** Simulations still to run, in order. */
  readonly pendingSims: Int32Array
  /** Unfinished chunks whose simulations were all known from the start (rows already written). */
  readonly readyChunks: readonly number[]
  private readonly sims: SimPlan
  private readonly chunks: readonly ChunkRange[]
  private readonly rows: Float64Array
  private readonly simRows: Float64Array
  /** Per chunk: simulations it still waits for. */
  private readonly missing: Int32Array
  /** Unfinished chunks using sim s: users[userStart[s] … userStart[s + 1]). */
  private readonly userStart: Int32Array
  private readonly users: Int32Array

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
    // Each (unknown sim, unfinished chunk) pair once: counted first, then written.
    this.missing = new Int32Array(chunks.length)
    const stamp = new Int32Array(sims.simCount)
    const pairs = (visit: (s: number, chunk: number) => void): void => {
      stamp.fill(-1)
      for (const c of chunks) {
        if (finished[c.index] === 1) continue
        for (let combo = c.start; combo < c.end; combo++) {
          const s = sims.simOf[combo]!
          if (known[s] === 1 || stamp[s] === c.index) continue
          stamp[s] = c.index
          visit(s, c.index)
        }
      }
    }
    const userStart = new Int32Array(sims.simCount + 1)
    pairs((s, chunk) => {
      userStart[s + 1]!++
      this.missing[chunk]!++
    })
    for (let s = 0; s < sims.simCount; s++) userStart[s + 1]! += userStart[s]!
    const users = new Int32Array(userStart[sims.simCount]!)
    const fillAt = userStart.slice(0, sims.simCount)
    pairs((s, chunk) => void (users[fillAt[s]!++] = chunk))
    this.userStart = userStart
    this.users = users

    let pendingCount = 0
    for (let s = 0; s < sims.simCount; s++) if (userStart[s + 1]! > userStart[s]!) pendingCount++
    this.pendingSims = new Int32Array(pendingCount)
    for (let s = 0, k = 0; s < sims.simCount; s++) if (userStart[s + 1]! > userStart[s]!) this.pendingSims[k++] = s
    const ready: number[] = []
    for (const c of chunks) if (finished[c.index] !== 1 && this.missing[c.index] === 0) ready.push(c.index)
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
      for (let u = this.userStart[s]!; u < this.userStart[s + 1]!; u++) {
        const chunk = this.users[u]!
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
