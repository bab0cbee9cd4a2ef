// The data cell kind: venue, market, timeframe and range in; the stored candles out, as the
// 'series' channel for the cells below.
import { defineCellKind } from '../types.ts'
import DataCell from './DataCell.svelte'
import { fmtInt } from './format.ts'
import { DataParams, defaultDataParams } from './params.ts'
import { runDataCell, type DataOutput } from './run.ts'

export type { DataOutput } from './run.ts'
export { DataParams, defaultDataParams, resolveRange } from './params.ts'

export const dataKind = defineCellKind<DataParams, DataOutput>({
  def: {
    kind: 'data',
    label: 'Data',
    icon: '▦',
    params: DataParams,
    defaultParams: defaultDataParams,
    consumes: [],
    produces: 'series',
    live: false,
    run: runDataCell,
    provide: (o) => ({ series: o }),
    summary: (o) => `${o.key.venue} ${o.key.market} ${o.key.timeframe} · ${fmtInt(o.bars)} bars`,
  },
  Body: DataCell,
})
