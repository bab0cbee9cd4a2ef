// The live cell kind: start a paper or live run from a promotion, then follow it through edge's
// event stream (status, position, orders, fills, equity, halts), stop or kill it, and compare it
// with its backtest on the same bars (the shadow comparison). Running the cell follows its run;
// only the Start button starts one.
import { defineCellKind } from '../types.ts'
import LiveCell from './LiveCell.svelte'
import { defaultLiveParams, LiveParams } from './params.ts'
import { runLiveCell, type LiveOutput } from './run.ts'

export type { LiveOutput } from './run.ts'
export { LiveParams, defaultLiveParams } from './params.ts'

export const liveKind = defineCellKind<LiveParams, LiveOutput>({
  def: {
    kind: 'live',
    label: 'Live run',
    icon: '◉',
    params: LiveParams,
    defaultParams: defaultLiveParams,
    consumes: [],
    // Follows its run as it goes: never "stale", no Run button (the cell's own buttons act).
    live: true,
    run: runLiveCell,
    summary: (o) => {
      const b = o.follower?.book
      if (b === undefined) return 'no run'
      return `${b.status ?? '…'} · ${b.fills.length} fills${b.last ? ` · equity ${Math.round(b.last.equity).toLocaleString('en-US')}` : ''}`
    },
  },
  Body: LiveCell,
})
