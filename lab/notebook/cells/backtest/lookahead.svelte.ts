// The look-ahead check of one result, as the cell shows it: it starts as soon as the result is
// on screen and reports later (a few to a few hundred ms in the worker), so it is its own small
// rune object inside the result rather than part of the run.
import type { LookaheadFound } from '../../../../shared/strategies/audit/index.ts'

export type LookaheadState =
  | { readonly kind: 'checking' }
  | { readonly kind: 'passed'; readonly cuts: readonly number[]; readonly skipped: number; readonly elapsedMs: number }
  | { readonly kind: 'found'; readonly found: LookaheadFound; readonly elapsedMs: number }
  /** Newer settings replaced this result before its check finished. */
  | { readonly kind: 'stopped' }
  | { readonly kind: 'error'; readonly message: string }

export class LookaheadCheck {
  state = $state.raw<LookaheadState>({ kind: 'checking' })

  constructor(initial?: LookaheadState) {
    if (initial !== undefined) this.state = initial
  }
}
