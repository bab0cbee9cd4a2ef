// Shared argument checks and TA-Lib 0.6 numeric conventions used by every indicator module.
// TA-Lib returns TA_BAD_PARAM for out-of-range periods; here that is a RangeError with the
// allowed range in the message, because a bad period is a caller bug, not a data condition.

/** TA-Lib's upper bound for every integer period parameter. */
export const MAX_PERIOD = 100_000

/** Throws RangeError unless `value` is an integer in [min, MAX_PERIOD] (TA-Lib's range check). */
export function checkPeriod(fn: string, name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min || value > MAX_PERIOD) {
    throw new RangeError(`${fn}: ${name} must be an integer in [${min}, ${MAX_PERIOD}] (TA-Lib 0.6 range), got ${String(value)}`)
  }
}

/** Throws RangeError unless `value` is finite and within TA-Lib's real range [-3e37, 3e37]. */
export function checkReal(fn: string, name: string, value: number): void {
  if (!Number.isFinite(value) || value < -3e37 || value > 3e37) {
    throw new RangeError(`${fn}: ${name} must be a finite number in [-3e37, 3e37], got ${String(value)}`)
  }
}

/** Throws RangeError when the input series do not all have the same length. */
export function checkSameLength(fn: string, names: readonly string[], arrays: readonly Float64Array[]): number {
  const first = arrays[0]
  if (first === undefined) throw new RangeError(`${fn}: no input series`)
  const len = first.length
  for (let i = 1; i < arrays.length; i++) {
    const a = arrays[i]
    if (a === undefined || a.length !== len) {
      throw new RangeError(`${fn}: input lengths differ (${names[0] ?? 'input0'}=${len}, ${names[i] ?? `input${i}`}=${a?.length ?? 0})`)
    }
  }
  return len
}

/** A Float64Array of `len` NaNs: the warm-up region stays NaN, valid bars are overwritten. */
export function nanArray(len: number): Float64Array {
  return new Float64Array(len).fill(Number.NaN)
}

/**
 * TA_EPSILON of TA-Lib 0.6.1+ (ta_utility.h; 0.6.1 lowered it from 0.4's 1e-8 "for very small
 * inputs"). It is ABSOLUTE, not relative: RSI, ADX and BBANDS treat quantities below it as zero.
 */
export const TA_EPSILON = 1e-14

/** TA_IS_ZERO: −TA_EPSILON < v < TA_EPSILON (false for NaN). */
export function taIsZero(v: number): boolean {
  return -TA_EPSILON < v && v < TA_EPSILON
}

/** TA_IS_ZERO_OR_NEG: v < TA_EPSILON (false for NaN, so NaN flows on as in TA-Lib). */
export function taIsZeroOrNeg(v: number): boolean {
  return v < TA_EPSILON
}
