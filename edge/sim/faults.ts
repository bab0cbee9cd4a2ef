// Scriptable faults per endpoint: armed specs are consumed request by request. The HTTP middleware
// asks `take('POST /v1/orders')`; WebSocket drops go through the `onDropWs` hook.
import type { FaultSpec, SimFaults } from './types.ts'

export type ArmedFault = FaultSpec & { remaining: number }

export class FaultBook implements SimFaults {
  private armed: ArmedFault[] = []
  /** Set by the WebSocket hub: drop open sockets on `endpoint` and arm `count` future drops. */
  onDropWs: (endpoint: string) => void = () => {}

  inject(spec: FaultSpec): void {
    const count = spec.count ?? (spec.kind === 'drop-ws' ? 0 : 1)
    if (!(count >= 0)) throw new RangeError(`fault count must be >= 0, got ${count}`)
    if (spec.kind === 'drop-ws') {
      this.onDropWs(spec.endpoint)
      if (count > 0) this.armed.push({ ...spec, remaining: count })
      return
    }
    this.armed.push({ ...spec, remaining: count })
  }

  clear(): void {
    this.armed = []
  }

  list(): ReadonlyArray<Readonly<ArmedFault>> {
    return this.armed.map((f) => ({ ...f }))
  }

  /** Consumes one use of the first fault matching `endpoint` ('*' matches any REST call). */
  take(endpoint: string, ws = false): ArmedFault | null {
    for (const f of this.armed) {
      const isWs = f.kind === 'drop-ws'
      if (isWs !== ws) continue
      const match = ws ? f.endpoint === 'ws' || f.endpoint === endpoint : f.endpoint === '*' || f.endpoint === endpoint
      if (!match || f.remaining <= 0) continue
      f.remaining--
      const copy = { ...f }
      if (f.remaining <= 0) this.armed.splice(this.armed.indexOf(f), 1)
      return copy
    }
    return null
  }
}

/** Parses the CLI form `endpoint:kind[:count]`, e.g. `POST /v1/orders:response-lost:2`. */
export function parseFaultArg(text: string): FaultSpec {
  const parts = text.split(':')
  let count: number | undefined
  if (parts.length >= 3 && /^\d+$/.test(parts[parts.length - 1]!)) count = Number(parts.pop())
  const kind = parts.pop()
  const endpoint = parts.join(':')
  const kinds = ['429', '418', '500', 'delay', 'timeout', 'malformed', 'drop-ws', 'response-lost']
  if (!kind || !kinds.includes(kind) || endpoint === '') {
    throw new Error(`bad --fault "${text}": expected endpoint:kind[:count] with kind one of ${kinds.join(', ')}`)
  }
  return { endpoint, kind: kind as FaultSpec['kind'], ...(count !== undefined ? { count } : {}) }
}
