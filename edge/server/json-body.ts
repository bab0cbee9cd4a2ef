// Strict JSON bodies for /api routes (reliability SEC-6, SEC-10): the content type and size were
// checked by the security middleware; here the text must parse as JSON and match a valibot schema.
// Use strictObject schemas so unknown fields are refused; the first issue names its field.
import type { Context } from 'hono'
import * as v from 'valibot'
import { ApiError, invalidParameter } from './errors.ts'

/** Shortens user input echoed in an error message. */
const clip = (s: string, n = 80): string => (s.length > n ? `${s.slice(0, n)}…` : s)

/** Validates an already-parsed value; throws a 400 naming the first field at fault. */
export function parseWith<S extends v.GenericSchema>(schema: S, value: unknown, where = 'body'): v.InferOutput<S> {
  const r = v.safeParse(schema, value)
  if (r.success) return r.output
  const issue = r.issues[0]
  const path = v.getDotPath(issue)
  const field = path ?? where
  // strictObject reports both an unknown key (expected: never) and a missing one (received: undefined).
  if (issue.type === 'strict_object' && path !== null) {
    throw invalidParameter(field, issue.expected === 'never' ? 'unknown field' : 'required field is missing')
  }
  throw invalidParameter(field, clip(issue.message, 200))
}

export async function readJsonBody<S extends v.GenericSchema>(c: Context, schema: S): Promise<v.InferOutput<S>> {
  const text = await c.req.text()
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (e) {
    throw new ApiError(400, 'invalid_json', `body is not valid JSON: ${clip(e instanceof Error ? e.message : String(e))}`)
  }
  return parseWith(schema, value)
}
