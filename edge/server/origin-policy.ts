// Who may talk to edge (reliability SEC-2, SEC-3). Host is checked first: after a DNS-rebinding
// attack the attacker's page is same-origin with itself, sends no Origin on a GET, but its Host is
// the attacker's name. Only loopback names with edge's own port pass (case-insensitive), plus the
// bind address itself when edge was started with --allow-remote.
//
// Origin: browsers always send it on WebSocket handshakes and on cross-origin or unsafe fetches,
// so a present Origin must be edge's own (`http://<allowed host>`). An absent Origin is allowed:
// that is a non-browser client (curl, the CLI, the Upbit client talking to the sim), which cannot
// be driven by a foreign page and still needs the token for /api. `Origin: null` (sandboxed
// frames, file://) is foreign.
export interface OriginPolicy {
  isAllowedHost(host: string | undefined): boolean
  /** `undefined` = no Origin header (non-browser client): allowed. */
  isAllowedOrigin(origin: string | undefined): boolean
}

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]']

/**
 * @param port edge's listening port, read per request (it is known only after listen with port 0)
 * @param extraHostnames names besides loopback that address edge (the bind address with --allow-remote)
 */
export function createOriginPolicy(port: () => number, extraHostnames: readonly string[] = []): OriginPolicy {
  const names = [...LOOPBACK_NAMES, ...extraHostnames.map((h) => (h.includes(':') && !h.startsWith('[') ? `[${h}]` : h).toLowerCase())]
  const isAllowedHost = (host: string | undefined): boolean => {
    if (host === undefined) return false
    const h = host.toLowerCase()
    return names.some((n) => h === `${n}:${port()}`)
  }
  return {
    isAllowedHost,
    isAllowedOrigin(origin) {
      if (origin === undefined) return true
      const m = /^http:\/\/([^/]+)$/i.exec(origin)
      return m !== null && isAllowedHost(m[1])
    },
  }
}

/** Methods that change state: they get the Origin check everywhere (CSRF). */
export const UNSAFE_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])
