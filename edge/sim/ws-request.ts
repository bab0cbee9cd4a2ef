// Reading a WebSocket request message (upbit-api.md §7.2): `[{ticket}, {type, codes, …}…, {format}]`
// into the connection's subscriptions, or the error frame it earns. Bounded before anything costly:
// size, nesting depth, number of type objects and of codes (ws-limits.ts); codes are de-duplicated
// and type objects of the same type merged, so each generated trade is sent at most once per type.
import { err, ok, type Result } from '../../shared/result.ts'
import { jsonDepth } from './body.ts'
import { WS_MAX_CODES_PER_REQUEST, WS_MAX_REQUEST_CHARS, WS_MAX_SUBSCRIPTIONS } from './ws-limits.ts'

export const WS_PUBLIC_TYPES: ReadonlySet<string> = new Set([
  'ticker',
  'trade',
  'orderbook',
  ...[1, 3, 5, 10, 15, 30, 60, 240].map((u) => `candle.${u}m`),
])
const FORMATS: ReadonlySet<string> = new Set(['DEFAULT', 'SIMPLE', 'JSON_LIST', 'SIMPLE_LIST'])
const ORDERBOOK_DEPTHS: readonly number[] = [1, 5, 15, 30]
/** A request is an array of flat objects; `codes` arrays make depth 3. */
const MAX_DEPTH = 4

export interface Sub {
  type: string
  codes: string[]
  depth: number
  realtime: boolean
  snapshot: boolean
}

export interface WsRequestContext {
  /** The connection is on /websocket/v1/private with a valid token. */
  readonly authed: boolean
  readonly knownCode: (code: string) => boolean
}

/** What a valid request asks for: its subscriptions and the format (undefined = keep the current one). */
export interface WsSubscription {
  readonly format: string | undefined
  readonly subs: Sub[]
}

/** Upbit's WebSocket error names a request can earn. */
export type WsRequestErrorName = 'INVALID_PARAM' | 'WRONG_FORMAT' | 'NO_TICKET' | 'NO_TYPE' | 'NO_CODES' | 'INVALID_AUTH'

/** A refused request; answered with the error frame {"error":{name, message}}. */
export interface WsRequestError {
  readonly kind: 'ws-request'
  readonly name: WsRequestErrorName
  readonly message: string
}

export type WsRequest = Result<WsSubscription, WsRequestError>

function fail(name: WsRequestErrorName, message: string): { readonly ok: false; readonly error: WsRequestError } {
  return err({ kind: 'ws-request', name, message })
}

function jsonArray(text: string): Result<unknown[], WsRequestError> {
  if (text.length > WS_MAX_REQUEST_CHARS) return fail('INVALID_PARAM', `요청이 너무 큽니다 (최대 ${WS_MAX_REQUEST_CHARS}자).`)
  if (jsonDepth(text) > MAX_DEPTH) return fail('WRONG_FORMAT', '요청 형식이 올바르지 않습니다 (중첩이 너무 깊습니다).')
  let req: unknown
  try {
    req = JSON.parse(text)
  } catch {
    return fail('WRONG_FORMAT', '요청 형식이 올바르지 않습니다.')
  }
  return Array.isArray(req) ? ok(req as unknown[]) : fail('WRONG_FORMAT', '요청은 배열이어야 합니다.')
}

/** Subscription of one type object, or the error it earns. */
function subOf(o: Record<string, unknown>, ctx: WsRequestContext): Result<Sub, WsRequestError> {
  const type = o.type
  if (typeof type !== 'string') return fail('INVALID_PARAM', 'type은 문자열이어야 합니다.')
  const realtimeOnly = o.is_only_realtime === true || o.isOnlyRealtime === true
  const snapshotOnly = o.is_only_snapshot === true || o.isOnlySnapshot === true
  const codesRaw = Array.isArray(o.codes) ? o.codes : null
  if (codesRaw?.some((x) => typeof x !== 'string')) return fail('WRONG_FORMAT', 'codes는 문자열 배열이어야 합니다.')
  const texts = (codesRaw ?? []) as string[]
  const flags = { realtime: !snapshotOnly, snapshot: !realtimeOnly }
  if (type === 'myOrder' || type === 'myAsset') {
    if (!ctx.authed) return fail('INVALID_AUTH', '인증이 필요한 타입입니다.')
    if (type === 'myAsset' && codesRaw !== null) return fail('WRONG_FORMAT', 'myAsset은 codes를 받지 않습니다.')
    return ok({ type, codes: [...new Set(texts)], depth: 0, ...flags })
  }
  if (!WS_PUBLIC_TYPES.has(type)) return fail('INVALID_PARAM', `알 수 없는 type: ${type.slice(0, 40)}`)
  if (texts.length === 0) return fail('NO_CODES', 'codes가 없습니다.')
  const codes = new Set<string>()
  let depth = 30
  for (const raw of texts) {
    const [code, d] = raw.split('.')
    if (d !== undefined && type === 'orderbook') depth = ORDERBOOK_DEPTHS.includes(Number(d)) ? Number(d) : 30
    if (code && ctx.knownCode(code)) codes.add(code) // unknown codes are ignored silently
  }
  return ok({ type, codes: [...codes], depth, ...flags })
}

export function parseWsRequest(text: string, ctx: WsRequestContext): WsRequest {
  const parsed = jsonArray(text)
  if (!parsed.ok) return parsed
  const objs = parsed.value.filter((x): x is Record<string, unknown> => x !== null && typeof x === 'object' && !Array.isArray(x))
  if (!objs.some((o) => typeof o.ticket === 'string' && o.ticket !== '')) return fail('NO_TICKET', 'ticket이 없습니다.')
  const typed = objs.filter((o) => 'type' in o)
  if (typed.length === 0) return fail('NO_TYPE', 'type이 없습니다.')
  if (typed.length > WS_MAX_SUBSCRIPTIONS) return fail('INVALID_PARAM', `한 요청의 type은 최대 ${WS_MAX_SUBSCRIPTIONS}개입니다.`)
  const codeCount = typed.reduce((n, o) => n + (Array.isArray(o.codes) ? o.codes.length : 0), 0)
  if (codeCount > WS_MAX_CODES_PER_REQUEST) return fail('INVALID_PARAM', `한 요청의 codes는 최대 ${WS_MAX_CODES_PER_REQUEST}개입니다.`)
  const fmt = objs.find((o) => 'format' in o)?.format
  if (fmt !== undefined && (typeof fmt !== 'string' || !FORMATS.has(fmt)))
    return fail('INVALID_PARAM', 'format은 DEFAULT, SIMPLE, JSON_LIST, SIMPLE_LIST 중 하나입니다.')
  const byType = new Map<string, Sub>()
  for (const o of typed) {
    const r = subOf(o, ctx)
    if (!r.ok) return r
    const sub = r.value
    const prev = byType.get(sub.type)
    // The same type twice: one subscription with both code lists (the later object's flags).
    byType.set(sub.type, prev === undefined ? sub : { ...sub, codes: [...new Set([...prev.codes, ...sub.codes])] })
  }
  return ok({ format: fmt, subs: [...byType.values()] })
}
