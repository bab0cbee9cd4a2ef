// Worker-thread entry for the sweep pool. Node 20 cannot load .ts by itself, so this plain ESM
// file registers tsx's loader in the worker's own thread (loader hooks are per thread) and then
// imports the TypeScript worker. Works whether the parent runs under tsx, vitest or plain node.
import { register } from 'tsx/esm/api'

register()
await import('./sweep-worker.ts')
