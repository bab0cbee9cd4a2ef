// Public face of shared/synthetic: the seeded synthetic KRW market (specs, presets, the
// minute-by-minute stream for the simulated venue, batch generation for history).
export type { MarketSpec, ResolvedMarketSpec, RegimeKind, SyntheticMarket, MarketModel } from './spec.ts'
export {
  REGIMES,
  DEFAULT_ORIGIN_MS,
  MARKET_SPEC_DEFAULTS,
  SYNTHETIC_MARKETS,
  resolveMarketSpec,
  buildMarketModel,
  BLOCK_MINUTES,
} from './spec.ts'
export type { MinuteBar, MinuteStream } from './minute-stream.ts'
export { createMinuteBar, createMinuteStream } from './minute-stream.ts'
export { generateMinuteCandles, generateCandles } from './generate.ts'
export { detExp, detLog } from './det-math.ts'
