// The ensemble's optimizer fast path (ensembleStrategy.sweepSource). Each bar's six member signals
// form a state code (rule.ts; ≤ 729 states, and since trend and day are the same rule far fewer
// occur). Member signals and codes are computed once per member-param set (reference.ts); a
// weights/threshold combo then only decides the OCCURRING states with the rule's decideStates (a
// few hundred ops, not per bar). Two combos with the same decisions on the occurring states have
// the same signal sequence, so their decision table is the key: thousands of weight combos map to
// a few dozen signal arrays. The runner's property tests compare this source with the plain path
// (signals: 'plain') and with a backtest per combo.
// The decision table is also the exact class key of a combo across workers (classKey): every
// occurring state occurs at some bar of the window, so two tables of one member group differ ⇔
// their signal arrays differ there. Member codes come from the per-series cache (warm sweeps).
import type { SignalSource, SweepContext } from '../../signals/index.ts'
import type { KernelStrategyDef } from '../define.ts'
import type { Params } from '../types.ts'
import { ensembleCodes, memberSignals } from './reference.ts'
import { decideStates, ENSEMBLE_WARMUP, ensembleWeightsInto, isDecisionParam, MEMBER_COUNT, STATE_COUNT, STATE_SIGNALS } from './rule.ts'

interface MemberGroup {
  readonly codes: Uint16Array
  /** Occurring codes inside the trading window (from max(fromBar, 2)). */
  readonly occurring: Uint16Array
  /** Member signals of occurring state j at j·MEMBER_COUNT + k (rule.ts decideStates layout). */
  readonly states: Int8Array
  readonly tables: Map<string, number>
}

/** Decision d (−1, 0, +1) as the character of code 97 + d in class keys ('`', 'a', 'b'). */
const KEY_CHAR_BASE = 97

export function ensembleSweepSource(ctx: SweepContext, def: KernelStrategyDef, maxGroups = 16): SignalSource<Params> {
  const { series, store, fromBar, toBar, cache } = ctx
  const n = series.close.length
  const memberNames = def.params.map((p) => p.name).filter((nm) => !isDecisionParam(nm))
  const groups = new Map<string, MemberGroup>()
  const scratch = new Int8Array(n)
  const getScratch = new Int8Array(n)
  const weights = new Float64Array(MEMBER_COUNT)
  /** Decision of occurring state j as the character code KEY_CHAR_BASE + decision. */
  let decisions = new Uint16Array(0)
  let lastMember: number[] | undefined
  let lastMkey = ''

  function codesOf(mkey: string, params: Params): Uint16Array {
    const build = (): Uint16Array => {
      const codes = new Uint16Array(n)
      ensembleCodes(memberSignals(series.close, params), codes)
      return codes
    }
    return cache === undefined ? build() : cache.memo(`ensemble.v${def.version}.codes:${mkey}`, n * 2, build)
  }

  function buildGroup(mkey: string, params: Params): MemberGroup {
    const codes = codesOf(mkey, params)
    const seen = new Uint8Array(STATE_COUNT)
    const occ: number[] = []
    for (let t = Math.max(fromBar, ENSEMBLE_WARMUP); t < toBar; t++) {
      const c = codes[t]!
      if (seen[c] === 0) {
        seen[c] = 1
        occ.push(c)
      }
    }
    const states = new Int8Array(occ.length * MEMBER_COUNT)
    occ.forEach((code, j) => states.set(STATE_SIGNALS.subarray(code * MEMBER_COUNT, (code + 1) * MEMBER_COUNT), j * MEMBER_COUNT))
    return { codes, occurring: Uint16Array.from(occ), states, tables: new Map() }
  }

  /** Decides the occurring states of params' member group into `decisions`; returns the group. */
  function decide(params: Params): { g: MemberGroup; key: string } {
    // Most grids vary no member param: reuse the last key while the member values repeat.
    let same = lastMember !== undefined
    for (let i = 0; same && i < memberNames.length; i++) same = params[memberNames[i]!] === lastMember![i]
    if (!same) {
      lastMember = memberNames.map((nm) => params[nm]!)
      lastMkey = ''
      for (const v of lastMember) lastMkey += `${v},`
    }
    const mkey = lastMkey
    let g = groups.get(mkey)
    if (g === undefined) {
      if (groups.size >= maxGroups) groups.delete(groups.keys().next().value!)
      g = buildGroup(mkey, params)
      groups.set(mkey, g)
    }
    const m = g.occurring.length
    if (decisions.length < m) decisions = new Uint16Array(m)
    ensembleWeightsInto(params, weights)
    decideStates(weights, params.threshold!, g.states, m, decisions, KEY_CHAR_BASE)
    const key = String.fromCharCode.apply(null, decisions.subarray(0, m) as unknown as number[])
    return { g, key: `${mkey}|${key}` }
  }

  /** code → signal of the current decisions (absent codes stay 0; they never occur in the window). */
  const signalOfCode = new Int8Array(STATE_COUNT)
  /** Writes the window's signals from the current `decisions` (outside it the backtest reads nothing). */
  function materialise(g: MemberGroup, out: Int8Array): void {
    const occ = g.occurring
    for (let j = 0; j < occ.length; j++) signalOfCode[occ[j]!] = decisions[j]! - KEY_CHAR_BASE
    const codes = g.codes
    const from = Math.max(fromBar, ENSEMBLE_WARMUP)
    out.fill(0, 0, from)
    out.fill(0, toBar)
    for (let t = from; t < toBar; t++) out[t] = signalOfCode[codes[t]!]!
  }

  return {
    idFor(params) {
      const { g, key } = decide(params)
      let id = g.tables.get(key)
      if (id === undefined) {
        materialise(g, scratch)
        id = store.intern(scratch, (out) => def.signalsInto(series, params, out))
        g.tables.set(key, id)
      }
      return id
    },
    get: (id) => store.get(id, getScratch),
    classKey: (params) => decide(params).key,
    signalsInto(params, out) {
      materialise(decide(params).g, out)
    },
  }
}
