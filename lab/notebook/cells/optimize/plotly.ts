// Plotly, loaded with import() on first use only (it is 4.6 MB: never part of the first page
// load). The bundle is CommonJS: its namespace arrives as the module's default export.
import type PlotlyDefault from 'plotly.js-dist-min'

export type PlotlyApi = typeof PlotlyDefault

let loading: Promise<PlotlyApi> | undefined

export function loadPlotly(): Promise<PlotlyApi> {
  loading ??= import('plotly.js-dist-min').then((m) => (m.default ?? (m as unknown as PlotlyApi)) as PlotlyApi)
  loading.catch(() => (loading = undefined))
  return loading
}
