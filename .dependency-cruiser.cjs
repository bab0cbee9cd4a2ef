// Import boundaries of the house (checked by `npm run lint`, which CI runs):
// - shared/ is the pure core: it imports nothing from lab/ or edge/;
// - the lab runs in the browser and talks to edge over HTTP: it imports nothing from edge/
//   (not even types: a shared contract belongs in shared/);
// - the engine knows venues only as VenueRules data: shared/engine imports nothing from shared/upbit;
// - no import cycles anywhere, type-only imports included (a cycle of types is still a knot in
//   the design).
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'shared-is-pure',
      comment: 'shared/ must not import lab/ or edge/',
      severity: 'error',
      from: { path: '^shared/' },
      to: { path: '^(lab|edge)/' },
    },
    {
      name: 'lab-not-edge',
      comment: 'lab/ must not import edge/ (talk over HTTP; shared contracts live in shared/)',
      severity: 'error',
      from: { path: '^lab/' },
      to: { path: '^edge/' },
    },
    {
      name: 'engine-knows-no-venue',
      comment: 'shared/engine gets venue rules as data; it must not import shared/upbit',
      severity: 'error',
      from: { path: '^shared/engine/' },
      to: { path: '^shared/upbit/' },
    },
    {
      name: 'no-cycles',
      comment: 'no import cycles (type-only imports included)',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'every import resolves',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.mts', '.js', '.mjs', '.cjs', '.json', '.svelte', '.d.ts'],
    },
  },
}
