// Strict query strings for /api routes: each parameter at most once, no unknown parameters, each
// validated by a valibot strictObject schema whose first issue names the parameter.
import type { Context } from 'hono'
import type * as v from 'valibot'
import { invalidParameter } from '../server/errors.ts'
import { parseWith } from '../server/json-body.ts'

export function readQuery<S extends v.GenericSchema>(c: Context, schema: S): v.InferOutput<S> {
  const record: Record<string, string> = {}
  for (const [k, value] of new URL(c.req.url).searchParams) {
    if (Object.hasOwn(record, k)) throw invalidParameter(k, 'given more than once')
    record[k] = value
  }
  return parseWith(schema, record, 'query')
}
