// Exact decimal rounding of order volumes. Upbit accepts at most 8 decimals of volume; the seed
// rounded down with Decimal(str(x)).quantize(ROUND_DOWN). Plain Math.floor(x * 1e8) turns 0.29
// into 0.28999999 because 0.29 * 1e8 = 28999999.999999996; here the result is the largest
// 8-decimal number whose double is ≤ x (allowing x to sit 2 ulps under it, the noise of one or
// two float operations, e.g. 0.4 × 0.5 × 1000 = 199.99999999999997 → 200), so exact decimals stay exact.

const SCALE = 1e8
const ULP2 = 1 + 4.5e-16

export function floorTo8(x: number): number {
  if (!(x > 0)) return 0
  const scaled = x * SCALE
  let n = Math.floor(scaled)
  // Only a value within a hair of the next unit can round up; the exact test costs a division.
  if (n + 1 - scaled <= scaled * 4e-15 + 1e-12 && (n + 1) / SCALE <= x * ULP2) n += 1
  return n / SCALE
}
