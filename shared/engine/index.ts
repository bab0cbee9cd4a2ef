// Public surface of the execution engine.
export * from './types.ts'
export { checkExecConfig, compileExecConfig, toKernelParams, kellyFraction, type KernelParams, type ExecConfigCheck } from './params.ts'
export { KernelState, stepRange, stepBar, equityAt, ENGINE_VERSION, type KernelSink, type EquityMarks } from './kernel.ts'
export { floorTo8 } from './rounding.ts'
