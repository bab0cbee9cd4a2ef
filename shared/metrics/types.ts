// Metric names and order (design §7.4). The order is part of the contract: optimizer rows store
// metrics in a Float64Array in exactly this order.

export const METRIC_NAMES = [
  'totalReturn',
  'cagr',
  'sharpe',
  'sortino',
  'calmar',
  'maxDrawdown',
  'winRate',
  'profitFactor',
  'expectancy',
  'trades',
  'exposure',
  'feesPaid',
  'buyHoldReturn',
] as const

export type MetricName = (typeof METRIC_NAMES)[number]
export type Metrics = Readonly<Record<MetricName, number>>

/** Index of each metric inside a metrics row. */
export const METRIC_INDEX: Readonly<Record<MetricName, number>> = Object.fromEntries(METRIC_NAMES.map((n, i) => [n, i])) as Record<
  MetricName,
  number
>

export const METRIC_COUNT = METRIC_NAMES.length

export function metricsFromRow(row: ArrayLike<number>, offset = 0): Metrics {
  const m: Record<string, number> = {}
  for (let i = 0; i < METRIC_COUNT; i++) m[METRIC_NAMES[i]!] = row[offset + i]!
  return m as Metrics
}
