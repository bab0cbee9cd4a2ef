// Public entry of the seed 001 RSI cross: the strategy and its per-bar rule. The sweep source is
// reached through the strategy (rsiStrategy.sweepSource).
export { rsiCrossInto } from './rule.ts'
export { rsiStrategy } from './strategy.ts'
