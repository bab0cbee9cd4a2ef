// Display formatting for the optimizer panel. Non-finite ratios show as "—" (design §7.4).

export function formatMetric(v: number, kind: 'pct' | 'ratio'): string {
  if (!Number.isFinite(v)) return v === Infinity ? '∞' : '—'
  return kind === 'pct' ? `${(v * 100).toFixed(2)}%` : v.toFixed(3)
}

export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '—'
  const s = Math.round(ms / 1000)
  if (s < 60) return `${s}s`
  const m = Math.floor(s / 60)
  return m < 60 ? `${m}m ${s % 60}s` : `${Math.floor(m / 60)}h ${m % 60}m`
}
