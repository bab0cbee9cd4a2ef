// Ensemble fast path. Each bar's six member signals form a base-3 state code (≤ 729 states; trend
// and day are the same rule, so far fewer occur). Member signals and codes are computed once per
// member-param set; a weights/threshold combo then only decides the OCCURRING states (a few
// hundred ops, not per bar). Two combos with the same decisions on the occurring states have the
// same signal sequence, so their decision table is the key: thousands of weight combos map to a
// few dozen signal arrays. The decision arithmetic repeats ensembleTable's (score summed from 0 in
// SEED_MEMBER_IDS order, then ≥ threshold / ≤ −threshold), so it is bit-exact; a test checks both.
// The decision table is also the exact class key of a combo across workers (classKey): every
// occurring state occurs at some bar of the window, so two tables of one member group differ ⇔
// their signal arrays differ there. Member codes come from the per-series cache (warm sweeps).
import type { CandleSeries } from '../candles/types.ts'
import { ensembleCodes, seedMemberSignals, SEED_MEMBER_IDS } from '../strategies/index.ts'
import type { Params, StrategyDef } from '../strategies/types.ts'
import type { SignalSource } from './signal-source.ts'
import { signalsIntoOf } from './signal-source.ts'
import type { SignalStore } from './signal-store.ts'
import type { SeriesCache } from './series-cache.ts'

const MEMBERS = SEED_MEMBER_IDS.length
/** combineEnsemble leaves bars 0 and 1 at 0 (the seed's len(prices) < 3 guard). */
const WARMUP = 2
const WEIGHT_KEYS = SEED_MEMBER_IDS.map((id) => `w.${id}`)

interface MemberGroup {
  readonly codes: Uint16Array
  /** Occurring codes inside the trading window (from max(fromBar, 2)). */
  readonly occurring: Uint16Array
  /** Member signal (−1/0/+1) of occurring state j, member k, at j·MEMBERS + k. */
  readonly digits: Int8Array
  /** code → index in occurring, −1 when absent. */
  readonly slotOf: Int16Array
  readonly tables: Map<string, number>
}

/** Member-affecting params: everything except the weights and the threshold. */
export function isCombineParam(name: string): boolean {
  return name === 'threshold' || name.startsWith('w.')
}

export function ensembleSource(
  series: CandleSeries,
  def: StrategyDef,
  store: SignalStore,
  fromBar: number,
  toBar: number,
  cache: SeriesCache | undefined,
  maxGroups = 16,
): SignalSource & { readonly groupsBuilt: () => number } {
  const n = series.close.length
  const into = signalsIntoOf(def)
  const memberNames = def.params.map((p) => p.name).filter((nm) => !isCombineParam(nm))
  const groups = new Map<string, MemberGroup>()
  let built = 0
  const scratch = new Int8Array(n)
  const getScratch = new Int8Array(n)
  let decisions = new Uint16Array(0)
  let lastMember: number[] | undefined
  let lastMkey = ''

  function codesOf(mkey: string, params: Params): Uint16Array {
    const build = (): Uint16Array => {
      built++
      const codes = new Uint16Array(n)
      ensembleCodes(seedMemberSignals(series, params), codes)
      return codes
    }
    return cache === undefined ? build() : cache.memo(`ensemble.v${def.version}.codes:${mkey}`, n * 2, build)
  }

  function buildGroup(mkey: string, params: Params): MemberGroup {
    const codes = codesOf(mkey, params)
    const slotOf = new Int16Array(729).fill(-1)
    const occ: number[] = []
    for (let t = Math.max(fromBar, WARMUP); t < toBar; t++) {
      const c = codes[t]!
      if (slotOf[c] === -1) {
        slotOf[c] = occ.length
        occ.push(c)
      }
    }
    const digits = new Int8Array(occ.length * MEMBERS)
    occ.forEach((code, j) => {
      let rest = code
      for (let k = 0; k < MEMBERS; k++) {
        digits[j * MEMBERS + k] = (rest % 3) - 1
        rest = (rest - (rest % 3)) / 3
      }
    })
    return { codes, occurring: Uint16Array.from(occ), digits, slotOf, tables: new Map() }
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
    const threshold = params.threshold!
    const w0 = params[WEIGHT_KEYS[0]!]!, w1 = params[WEIGHT_KEYS[1]!]!, w2 = params[WEIGHT_KEYS[2]!]!
    const w3 = params[WEIGHT_KEYS[3]!]!, w4 = params[WEIGHT_KEYS[4]!]!, w5 = params[WEIGHT_KEYS[5]!]!
    const dg = g.digits
    for (let j = 0; j < m; j++) {
      const b = j * MEMBERS
      let score = 0
      score += w0 * dg[b]!
      score += w1 * dg[b + 1]!
      score += w2 * dg[b + 2]!
      score += w3 * dg[b + 3]!
      score += w4 * dg[b + 4]!
      score += w5 * dg[b + 5]!
      // +1 → 'b', 0 → 'a', −1 → '`' (char codes 98, 97, 96)
      decisions[j] = 97 + (score >= threshold ? 1 : score <= -threshold ? -1 : 0)
    }
    const key = String.fromCharCode.apply(null, decisions.subarray(0, m) as unknown as number[])
    return { g, key: `${mkey}|${key}` }
  }

  /** code → signal of the current decisions (absent codes stay 0; they never occur in the window). */
  const signalOfCode = new Int8Array(729)
  /** Writes the window's signals from the current `decisions` (outside it the backtest reads nothing). */
  function materialise(g: MemberGroup, out: Int8Array): void {
    const occ = g.occurring
    for (let j = 0; j < occ.length; j++) signalOfCode[occ[j]!] = decisions[j]! - 97
    const codes = g.codes
    const from = Math.max(fromBar, WARMUP)
    out.fill(0, 0, from)
    out.fill(0, toBar)
    for (let t = from; t < toBar; t++) out[t] = signalOfCode[codes[t]!]!
  }

  return {
    groupsBuilt: () => built,
    idFor(params) {
      const { g, key } = decide(params)
      let id = g.tables.get(key)
      if (id === undefined) {
        materialise(g, scratch)
        id = store.intern(scratch, (out) => into(series, params, out))
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
