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
  // State in an Int32Array: 32-bit values above 2^31 would otherwise be boxed as heap numbers in
  // the closure on every update (measured ~30 ns per draw instead of a few).
  const st = new Int32Array(4)
  st[0] = sm()
  st[1] = sm()
  st[2] = sm()
  st[3] = sm()
  const u32 = (): number => {
    const a = st[0]!,
      b = st[1]!,
      c = st[2]!,
      d = st[3]!
    const t = (((a + b) | 0) + d) | 0
    st[3] = (d + 1) | 0
    st[0] = b ^ (b >>> 9)
    st[1] = (c + (c << 3)) | 0
    st[2] = (((c << 21) | (c >>> 11)) + t) | 0
    return t >>> 0
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
