// numpy's float64 summation order, reproduced bit for bit, so that seed rules built on
// np.mean (swing) decide exactly as the Python seed did on near-ties.
// numpy (umath/loops_utils.h.src, pairwise_sum): n < 8 → plain left-to-right loop from 0;
// 8 ≤ n ≤ 128 → eight interleaved accumulators over whole blocks of 8, combined
// ((r0+r1)+(r2+r3))+((r4+r5)+(r6+r7)), then the remainder added in order; n > 128 → split at
// n2 = n/2 rounded down to a multiple of 8 and recurse. A reduction adds the identity (±0) first,
// which never changes a non-zero sum. np.mean = that sum / n (IEEE division).

const PW_BLOCKSIZE = 128

/** numpy's pairwise sum of x[start .. start+n). */
export function numpyPairwiseSum(x: ArrayLike<number>, start: number, n: number): number {
  if (n < 8) {
    let res = 0
    for (let i = 0; i < n; i++) res += x[start + i]!
    return res
  }
  if (n <= PW_BLOCKSIZE) {
    let r0 = x[start]!,
      r1 = x[start + 1]!,
      r2 = x[start + 2]!,
      r3 = x[start + 3]!
    let r4 = x[start + 4]!,
      r5 = x[start + 5]!,
      r6 = x[start + 6]!,
      r7 = x[start + 7]!
    const whole = n - (n % 8)
    let i = 8
    for (; i < whole; i += 8) {
      const j = start + i
      r0 += x[j]!
      r1 += x[j + 1]!
      r2 += x[j + 2]!
      r3 += x[j + 3]!
      r4 += x[j + 4]!
      r5 += x[j + 5]!
      r6 += x[j + 6]!
      r7 += x[j + 7]!
    }
    let res = r0 + r1 + (r2 + r3) + (r4 + r5 + (r6 + r7))
    for (; i < n; i++) res += x[start + i]!
    return res
  }
  let n2 = Math.floor(n / 2)
  n2 -= n2 % 8
  return numpyPairwiseSum(x, start, n2) + numpyPairwiseSum(x, start + n2, n - n2)
}

/** np.mean(x[start .. start+n)) for n ≥ 1. */
export function numpyMean(x: ArrayLike<number>, start: number, n: number): number {
  return numpyPairwiseSum(x, start, n) / n
}
