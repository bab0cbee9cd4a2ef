// The execution kernel (design §3 engine, §7.3): `stepRange` steps closed bars, each in three
// phases: 1. fills (sim-broker.ts, the fill model), 2. the decision at the close (decide.ts),
// 3. the mark: equity = cash + qty × close. The backtest loop and the optimizer call stepRange; a
// paper run steps one bar at a time through stepBar; a live run calls decideAtClose and feeds the
// venue's fills through account.ts, so decisions agree bar for bar.
//
// The bar loop is inside the kernel (not one call per bar) so V8 keeps the series and params in
// registers across bars; helpers take (state, params, series, bar), never loose doubles, which V8
// would box on every call it does not inline. Hot paths compare side, exit and sizing codes as
// numbers (named in state.ts): V8 re-checks a module constant for its temporal dead zone on
// every read.
import type { CandleSeries } from '../candles/types.ts'
import { placeBuy, placeSell } from './decide.ts'
import type { KernelParams } from './params.ts'
import { exitAtStops, fillAtOpen, fillInBar } from './sim-broker.ts'
import { clearPending, type KernelState } from './state.ts'

/** Receives each stepped bar's equity marked at its close (the metrics accumulator does). */
export interface EquityMarks {
  bar(timeMs: number, equity: number): void
}

/**
 * Steps bars [from, to) through the three phases, deciding on signals[bar] at each close, and
 * marks each bar's equity: marks.bar(openTime, equity) and equityOut[bar − outOffset] (either may
 * be null). Returns early, after quietBars bars in a row that end with nothing pending (the
 * backtest loop's bulk runs take such stretches; Infinity never returns early). Returns the next
 * bar to step.
 */
export function stepRange(
  st: KernelState,
  p: KernelParams,
  s: CandleSeries,
  signals: Int8Array,
  from: number,
  to: number,
  marks: EquityMarks | null,
  equityOut: Float64Array | null,
  outOffset: number,
  quietBars: number,
): number {
  const { time, high } = s
  const exits = p.hasExits
  const trailing = p.trailingStopRate > 0
  const ttl = p.orderTtlBars
  let quiet = 0
  for (let bar = from; bar < to; bar++) {
    // Phase 1 (sim-broker.ts's simulateFills) and phase 2 (decide.ts's decideAtClose), written out
    // here with the params hoisted: V8 keeps this loop's values in registers that way, measured
    // 10–20% faster than calling the two functions. Paper and live runs call those functions;
    // test/shared/engine/broker.test.ts requires both forms to agree event for event.
    if (st.pendSide !== 0) fillAtOpen(st, p, s, bar)
    if (exits && st.qty > 0) exitAtStops(st, p, s, bar)
    if (st.pendSide !== 0) fillInBar(st, p, s, bar)
    let decide = true
    if (st.pendSide !== 0) {
      if (!st.pendIsLimit || bar < st.pendPlacedBar + ttl) decide = false
      else {
        clearPending(st)
        st.expiredOrders++
      }
    }
    const signal = signals[bar]!
    if (st.qty > 0) {
      st.barsInPosition++
      if (trailing && bar > st.entryBar) {
        const h = high[bar]!
        if (h > st.peak) st.peak = h
      }
      if (decide && signal < 0) placeSell(st, p, s, bar)
    } else if (decide && signal > 0) {
      placeBuy(st, p, s, bar)
    }
    const eq = equityAt(st, s, bar)
    if (marks !== null) marks.bar(time[bar]!, eq)
    if (equityOut !== null) equityOut[bar - outOffset] = eq
    if (st.pendSide === 0) {
      if (++quiet >= quietBars && bar + 1 < to) return bar + 1
    } else {
      quiet = 0
    }
  }
  return to
}

/** One closed bar (the live runner's step): stepRange over [bar, bar + 1) without marks. */
export function stepBar(st: KernelState, p: KernelParams, s: CandleSeries, signals: Int8Array, bar: number): void {
  stepRange(st, p, s, signals, bar, bar + 1, null, null, 0, Infinity)
}

/** Phase 3, the mark: equity at the close of `bar` (flat equity is the cash, whatever the close:
 *  even a missing one). */
export function equityAt(st: KernelState, s: CandleSeries, bar: number): number {
  return st.qty > 0 ? st.cash + st.qty * s.close[bar]! : st.cash
}
