// The strategy cell kind (issue 10): a user strategy's source, loaded and audited in a worker
// under SES as you type; the strategy then appears in the backtest cell's picker by its hash.
// It reads the data cell above (the audits run on its candles; on a seeded synthetic series when
// there is none).
import { shortHash } from '../../../strategies/index.ts'
import { defineCellKind } from '../types.ts'
import { StrategyCellParams, defaultStrategyCellParams } from './params.ts'
import { runStrategyCell, type StrategyOutput } from './run.ts'
import StrategyCell from './StrategyCell.svelte'

export type { StrategyOutput } from './run.ts'
export { StrategyCellParams, defaultStrategyCellParams } from './params.ts'

export const strategyKind = defineCellKind<StrategyCellParams, StrategyOutput>({
  def: {
    kind: 'strategy',
    label: 'Strategy',
    icon: 'ƒ',
    params: StrategyCellParams,
    defaultParams: defaultStrategyCellParams,
    consumes: ['series'],
    live: false,
    run: runStrategyCell,
    summary: (o) => {
      const bad = o.audit.report.results.filter((r) => !r.ok).length
      return `${o.meta.name} · ${o.meta.id} v${o.meta.version} #${shortHash(o.hash)} · ${bad === 0 ? 'audits passed' : `${bad} audit${bad > 1 ? 's' : ''} failing`}`
    },
  },
  Body: StrategyCell,
})
