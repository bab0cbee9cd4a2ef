// Standard normal variates for the synthetic market: Marsaglia–Tsang ziggurat (128 layers) on one
// 32-bit draw of createRng per variate in ~99% of cases (7 bits layer, 1 bit sign, 24 bits
// position). Tables and the rare slow paths use detExp/detLog, so every engine draws the same
// numbers (createRng's own normal() uses Math.log/cos, which engines may round differently).
import type { Rng } from '../random.ts'
import { detExp, detLog } from './det-math.ts'

const LAYERS = 128
const R = 3.442619855899 // start of the tail
const V = 9.91256303526217e-3 // area of each layer
const M24 = 16_777_216 // 2^24: range of the position bits

const K = new Float64Array(LAYERS) // acceptance thresholds on the 24-bit position
const W = new Float64Array(LAYERS) // position → x scale per layer
const F = new Float64Array(LAYERS) // density at each layer's edge
{
  let dn = R
  let tn = dn
  const q = V / detExp(-0.5 * dn * dn)
  K[0] = Math.floor((dn / q) * M24)
  K[1] = 0
  W[0] = q / M24
  W[LAYERS - 1] = dn / M24
  F[0] = 1
  F[LAYERS - 1] = detExp(-0.5 * dn * dn)
  for (let i = LAYERS - 2; i >= 1; i--) {
    dn = Math.sqrt(-2 * detLog(V / dn + detExp(-0.5 * dn * dn)))
    K[i + 1] = Math.floor((dn / tn) * M24)
    tn = dn
    F[i] = detExp(-0.5 * dn * dn)
    W[i] = dn / M24
  }
}

/** One N(0, 1) variate from `rng`. */
export function zigguratNormal(rng: Rng): number {
  for (;;) {
    const u = rng.next() * 4294967296 // the exact 32-bit integer behind next()
    const layer = u & 127
    const negative = (u & 128) !== 0
    const pos = Math.floor(u / 256)
    const x = pos * W[layer]!
    if (pos < K[layer]!) return negative ? -x : x
    if (layer === 0) {
      // Tail beyond R (Marsaglia's exponential method).
      let t: number
      let y: number
      do {
        t = -detLog(1 - rng.next()) / R
        y = -detLog(1 - rng.next())
      } while (y + y < t * t)
      return negative ? -(R + t) : R + t
    }
    // Wedge between the layer's rectangle and the curve.
    if (F[layer]! + rng.next() * (F[layer - 1]! - F[layer]!) < detExp(-0.5 * x * x)) return negative ? -x : x
  }
}
