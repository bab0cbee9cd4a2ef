// The lab's user strategies (issue 10), for the cells that use them:
// - userStrategies(): the newest version of each user strategy the strategy cells have loaded
//   ({ id, version, hash, meta, source }), reactive, for a picker beside the built-ins; a cell
//   stores the hash it ran and reopens exactly that code with userStrategyLibrary().load(hash);
// - a worker that runs user code: import './lockdown.ts' first in the worker entry, then
//   userStrategyDef(source, sesEvaluate) (./user-def.ts, ./compartment.ts) gives a StrategyDef to
//   use like a built-in's (it hands the rule a copy of the candles); terminate the worker on Stop
//   (an endless loop cannot be interrupted otherwise). Those modules, and ./checker.ts, pull in
//   sucrase and SES: import them in workers only, never through this file;
// - strategyChecks(): the strategy cells' compile-and-audit workers.
// Never import lockdown.ts or compartment.ts on the page: they harden the realm they run in.
export { sha256Hex, shortHash, HASH_RE } from './hash.ts'
export {
  UserStrategyLibrary,
  userStrategyLibrary,
  setUserStrategyLibrary,
  userStrategies,
  type UserStrategyEntry,
} from './library.svelte.ts'
export { openSourceStore, memorySourceStore, STRATEGY_DB, type AuditSummary, type SourceRecord, type SourceStore } from './store.ts'
export {
  strategyChecks,
  setStrategyChecks,
  workerChecks,
  noChecks,
  CheckStopped,
  DEFAULT_CHECK_LIMITS,
  type StrategyChecks,
  type CheckLimits,
} from './sandbox.ts'
export type { AuditOutcome, AuditedResult } from './checker.ts'
