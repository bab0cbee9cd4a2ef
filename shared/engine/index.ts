// Public surface of the execution engine: decisions (decide.ts), the simulated broker's fill
// model (sim-broker.ts), the books (account.ts), the kernel that steps bars through them
// (kernel.ts), the broker seam and intents a live run uses (broker.ts, intents.ts), and the venue
// rules it is given as data (venue-rules.ts).
export * from './types.ts'
export type { VenueRules } from './venue-rules.ts'
export { checkExecConfig, compileExecConfig, kellyFraction, type KernelParams, type ExecConfigCheck } from './params.ts'
export { KernelState, ENGINE_VERSION, type KernelSink } from './state.ts'
export { stepRange, stepBar, equityAt, type EquityMarks } from './kernel.ts'
export { decideAtClose } from './decide.ts'
export { simulateFills, protectiveLevels } from './sim-broker.ts'
export { floorTo8, floorToDecimals, volumeFor } from './rounding.ts'
export { intentId, decideIntents, pendingIntent, type Intent, type PlaceIntent, type CancelIntent } from './intents.ts'
export { SimulatedBroker, stepWithBroker, bookReport, type Broker, type BrokerReport } from './broker.ts'
