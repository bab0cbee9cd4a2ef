// Hardens the realm of a worker that runs user strategies: SES's lockdown() freezes the
// intrinsics and removes the ambient authority (Date.now, Math.random) from compartments. Import
// this module FIRST in a worker entry (before comlink or anything else), so nothing captures or
// changes an intrinsic before it is frozen. Never import it on the page: it would freeze the
// page's realm too. The same options as edge's sandbox (edge/strategies/sandbox-bootstrap.mjs),
// plus reporting 'none' (SES would otherwise log the intrinsics it removes to the console).
import 'ses'

lockdown({
  errorTaming: 'unsafe',
  stackFiltering: 'verbose',
  overrideTaming: 'severe',
  consoleTaming: 'unsafe',
  reporting: 'none',
})
