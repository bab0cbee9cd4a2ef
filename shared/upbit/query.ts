// Upbit query strings: the canonical (unencoded) string that is hashed into the JWT's query_hash and
// the URL-encoded string actually sent. Both keep the caller's parameter order (Upbit hashes the
// query "as sent", no sorting) and write arrays in Upbit's documented form `key[]=a&key[]=b`
// (not ccxt's indexed `key[0]=a`; upbit-api.md §2.2, §2.6 and the vectors file).

export type QueryScalar = string | number | boolean
export type QueryValue = QueryScalar | readonly QueryScalar[]
/** Parameters in send order. `undefined` values are skipped, so optional params can be spread in. */
export type QueryParams = Readonly<Record<string, QueryValue | undefined>>

/** [key, value] pairs in send order with array keys already written as `key[]`. */
export function queryPairs(params: QueryParams): Array<readonly [string, string]> {
  const pairs: Array<readonly [string, string]> = []
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue
    if (Array.isArray(value)) {
      // A key may already carry the brackets (`uuids[]`) or not (`states`): both give `key[]`.
      const arrayKey = key.endsWith('[]') ? key : `${key}[]`
      for (const item of value as readonly QueryScalar[]) pairs.push([arrayKey, String(item)])
    } else {
      pairs.push([key, String(value as QueryScalar)])
    }
  }
  return pairs
}

/** The unencoded query string hashed for query_hash, e.g. `market=KRW-BTC&states[]=wait`. */
export function buildQueryString(params: QueryParams): string {
  return queryPairs(params)
    .map(([k, v]) => `${k}=${v}`)
    .join('&')
}

/**
 * The query as sent on the wire: keys and values percent-encoded (`:` → %3A, `+` → %2B, space →
 * %20), except the `[]` of array keys, which Upbit wants literal (upbit-api.md §2.2).
 */
export function buildEncodedQueryString(params: QueryParams): string {
  return queryPairs(params)
    .map(([k, v]) => `${encodeKey(k)}=${encodeURIComponent(v)}`)
    .join('&')
}

function encodeKey(key: string): string {
  if (key.endsWith('[]')) return `${encodeURIComponent(key.slice(0, -2))}[]`
  return encodeURIComponent(key)
}

/**
 * The canonical string for a POST body: its key/value pairs as `k=v` joined by `&`, in body key
 * order (upbit-api.md §2.2). Same rules as a query, so it is the same function.
 */
export function buildBodyHashString(body: QueryParams): string {
  return buildQueryString(body)
}
