// Exact interning of signal arrays: equal ids ⇔ byte-identical arrays over the compared window.
// A hash finds candidates and every hit is verified element by element, so a collision can never
// merge two different decision sequences. Arrays are kept up to a byte budget; an array that no
// longer fits is not kept (later identical arrays then get a new id, which costs a duplicate
// simulation but never a wrong row), and `get` recomputes it on demand.

export function hashSignals(a: Int8Array, from: number, to: number): number {
  let h = 0x811c9dc5
  for (let i = from; i < to; i++) h = Math.imul(h ^ (a[i]! & 0xff), 0x01000193)
  return h >>> 0
}

export function sameSignals(a: Int8Array, b: Int8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (a[i] !== b[i]) return false
  return true
}

export class SignalStore {
  private readonly byHash = new Map<number, number[]>()
  private readonly kept: (Int8Array | undefined)[] = []
  private readonly recompute: ((out: Int8Array) => void)[] = []
  private keptBytes = 0
  private readonly budgetBytes: number
  private readonly from: number
  private readonly to: number

  /** Arrays are compared over [from, to): the only part the backtest reads. */
  constructor(from: number, to: number, budgetBytes: number) {
    this.from = from
    this.to = to
    this.budgetBytes = budgetBytes
  }

  get distinct(): number {
    return this.kept.length
  }

  /**
   * Id of `arr` (copied when new and it fits the budget). `recompute` must rebuild exactly this
   * array; it is used when the copy was not kept.
   */
  intern(arr: Int8Array, recompute: (out: Int8Array) => void): number {
    const h = hashSignals(arr, this.from, this.to)
    const ids = this.byHash.get(h)
    if (ids !== undefined) {
      for (const id of ids) {
        const k = this.kept[id]
        if (k !== undefined && sameSignals(k, arr, this.from, this.to)) return id
      }
    }
    const id = this.kept.length
    let copy: Int8Array | undefined
    if (this.keptBytes + arr.length <= this.budgetBytes) {
      copy = arr.slice()
      this.keptBytes += arr.length
    }
    this.kept.push(copy)
    this.recompute.push(recompute)
    if (ids === undefined) this.byHash.set(h, [id])
    else ids.push(id)
    return id
  }

  /** The array of `id`: the kept copy, or recomputed into `scratch`. */
  get(id: number, scratch: Int8Array): Int8Array {
    const k = this.kept[id]
    if (k !== undefined) return k
    this.recompute[id]!(scratch)
    return scratch
  }
}
