// Public surface of shared/indicators: TA-Lib 0.6-exact batch indicators on Float64Array
// (same-length output, NaN during warm-up), their lookback (warm-up) helpers, and streaming
// forms for the live runner. See each module for the TA-Lib rule it reproduces.
// Exactness: every function performs TA-Lib's floating-point operations in TA-Lib's order and
// uses its zero tests (TA_EPSILON = 1e-14 of 0.6.1+, exact-zero tests where TA-Lib has them), so
// outputs match TA-Lib 0.6 bit for bit on finite input (verified against its C source).
// Periods outside TA-Lib's allowed range throw RangeError; differing input lengths throw RangeError.
// NaN inputs are not special-cased, as in TA-Lib: NaN flows through the same comparisons and
// running sums, so it poisons running totals (SMA, BBANDS, EMA, Wilder averages) from then on.
export { sma, ema, wma, smaLookback, emaLookback, wmaLookback } from './moving-averages.ts'
export { rsi, rsiLookback } from './rsi.ts'
export { macd, macdLookback } from './macd.ts'
export type { MacdResult } from './macd.ts'
export { cci, cciLookback } from './cci.ts'
export { atr, atrLookback, trange, trangeLookback } from './atr.ts'
export { bbands, bbandsLookback } from './bbands.ts'
export type { BbandsResult } from './bbands.ts'
export { stoch, stochLookback } from './stoch.ts'
export type { StochResult } from './stoch.ts'
export { adx, adxLookback } from './adx.ts'
export { obv, obvLookback, mfi, mfiLookback } from './volume.ts'
export { willr, willrLookback } from './willr.ts'
export { roc, rocLookback, mom, momLookback } from './momentum.ts'
export { engulfing, engulfingLookback } from './engulfing.ts'
export { createSmaStream, createEmaStream, createRsiStream, createAtrStream, createMacdStream } from './streams.ts'
export type { ValueStream, HlcStream, MacdStream } from './streams.ts'
export { createCciStream, createBbandsStream, createWillrStream, createEngulfingStream } from './window-streams.ts'
export type { BbandsStream, OhlcStream } from './window-streams.ts'
