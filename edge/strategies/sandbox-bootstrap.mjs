// Worker-thread entry of the strategy sandbox. Registers tsx (Node 20 cannot load .ts), then
// hardens the realm with SES's lockdown() BEFORE any user code exists: intrinsics frozen, Math.random
// and Date.now unavailable inside compartments. Then it loads the sandbox worker, which evaluates
// user code only inside SES Compartments whose globals are the sandbox's (shared/strategies/user/source.ts).
import { register } from 'tsx/esm/api'
import 'ses'

register()
// eslint-disable-next-line no-undef -- SES installs lockdown as a global
lockdown({ errorTaming: 'unsafe', stackFiltering: 'verbose', overrideTaming: 'severe', consoleTaming: 'unsafe' })
await import('./sandbox-worker.ts')
