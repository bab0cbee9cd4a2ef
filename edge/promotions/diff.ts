// Field-by-field differences of two stored configs: every leaf (a value that is not an object)
// whose path exists on one side only or holds another value, sorted by path. A field missing on
// one side (another sizing kind, a metric not reported) has no `before` or no `after`.
export interface ConfigChange {
  /** Dot path, e.g. `exec.sizing.fractionRate`, `params.period`. */
  readonly path: string
  readonly before?: unknown
  readonly after?: unknown
}

function leaves(value: unknown, prefix: string, out: Map<string, unknown>): Map<string, unknown> {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) leaves(v, prefix === '' ? k : `${prefix}.${k}`, out)
  } else {
    out.set(prefix, value)
  }
  return out
}

// Leaves are JSON values from stored configs; arrays (none today) compare by their JSON text.
const sameLeaf = (a: unknown, b: unknown): boolean =>
  a === b || (Array.isArray(a) && Array.isArray(b) && JSON.stringify(a) === JSON.stringify(b))

export function diffConfigs(before: unknown, after: unknown): ConfigChange[] {
  const a = leaves(before, '', new Map())
  const b = leaves(after, '', new Map())
  const paths = [...new Set([...a.keys(), ...b.keys()])].sort()
  const changes: ConfigChange[] = []
  for (const path of paths) {
    const inA = a.has(path)
    const inB = b.has(path)
    if (inA && inB && sameLeaf(a.get(path), b.get(path))) continue
    changes.push({ path, ...(inA ? { before: a.get(path) } : {}), ...(inB ? { after: b.get(path) } : {}) })
  }
  return changes
}
