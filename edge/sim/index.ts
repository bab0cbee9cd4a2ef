// Public entry of the simulated Upbit venue (see venue.ts for the assembly, types.ts for options).
export { createSimVenue, startSimVenue } from './venue.ts'
export { FAULT_KINDS } from './types.ts'
export type {
  FaultKind,
  FaultSpec,
  SimClock,
  SimFaults,
  SimLogger,
  SimMarketSpec,
  SimOrder,
  SimTrade,
  SimVenue,
  SimVenueOptions,
  StartedSimVenue,
} from './types.ts'
export { SIM_MARKET_PRESETS, DEFAULT_SIM_MARKETS } from './generator.ts'
export { parseFaultArg } from './faults.ts'
export { shapeClientErrors } from './client-errors.ts'
/** Venue id used in stored keys elsewhere (candle caches, journals). */
export const SIM_VENUE_ID = 'sim'
