// Seeded, platform-independent pseudo-random numbers. shared/ never calls Math.random:
// randomness is always a value passed in, so every run is reproducible on every machine.
// The generator is sfc32 seeded through splitmix32: 32-bit integer ops only (Math.imul, >>>),
// which JavaScript defines exactly, so the stream is identical across engines.

export interface Rng {
  /** Uniform in [0, 1) with 32 bits of resolution. */
  next(): number
  /** Uniform integer in [0, n). */
  int(n: number): number
  /** Standard normal (Box-Muller; uses two draws per call, no cached spare, to stay stateless). */
  normal(): number
}

function splitmix32(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s + 0x9e3779b9) >>> 0
    let z = s
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0
    return (z ^ (z >>> 16)) >>> 0
  }
}

export function createRng(seed: number): Rng {
  const sm = splitmix32(seed)
  let a = sm(), b = sm(), c = sm(), d = sm()
  const u32 = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0
    d = (d + 1) >>> 0
    a = b ^ (b >>> 9)
    b = (c + (c << 3)) >>> 0
    c = ((c << 21) | (c >>> 11)) >>> 0
    c = (c + t) >>> 0
    return t
  }
  for (let i = 0; i < 12; i++) u32()
  const next = (): number => u32() / 4294967296
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    normal: () => {
      // 1 - u keeps the log argument in (0, 1].
      const u = 1 - next()
      const v = next()
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)
    },
  }
}
