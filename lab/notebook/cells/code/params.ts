// A code cell's input: its source (JavaScript or TypeScript, the body of an async function).
import * as v from 'valibot'

export const MAX_SOURCE_BYTES = 200_000

export const CodeParams = v.strictObject({
  source: v.pipe(v.string(), v.maxLength(MAX_SOURCE_BYTES, `the code is over ${MAX_SOURCE_BYTES} characters`)),
})
export type CodeParams = v.InferOutput<typeof CodeParams>

export const EXAMPLE_SOURCE = `// candles: the data cell's bars as a danfojs DataFrame (time, date, open, high, low, close, volume)
// cells: outputs of the cells above by title (or backtest1, …): trades, equity, metrics, params
// display(x) shows a DataFrame, a table, a Plotly figure ({ data, layout }) or text.
display(candles.tail(5), 'Last bars')
display({
  data: [{ x: candles['date'].values, y: candles['close'].values, type: 'scatter', mode: 'lines', name: 'close' }],
  layout: { title: { text: 'Close' } },
})
`

export const defaultCodeParams = (): CodeParams => ({ source: EXAMPLE_SOURCE })
