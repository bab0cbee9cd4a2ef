// comlink 4.4.2 ships its Node adapter as dist/esm/node-adapter.mjs but types it in
// dist/esm/node-adapter.d.ts (no .d.mts), so TypeScript cannot pair the two; this points the .mjs
// path (the one Node can load as ESM) at those types.
declare module 'comlink/dist/esm/node-adapter.mjs' {
  export { default } from 'comlink/dist/esm/node-adapter'
}
