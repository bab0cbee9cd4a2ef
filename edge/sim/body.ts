// Request bodies of the sim's POST routes, read with bounds. Upbit's order bodies are a flat JSON
// object of a few short strings, so anything far bigger or deeper is refused with a 400 before it
// is parsed: a large or deeply nested body must not cost the venue memory or stack (a body of
// 5,000 nested arrays used to overflow the stack while building the JWT's canonical string).
import { exchangeError } from './errors.ts'

/** An order body is under 1 KB; 8 KB leaves room for long identifiers and extra fields. */
export const MAX_BODY_BYTES = 8 * 1024
/** Object = 1, an array value inside it = 2; deeper values are not Upbit parameters at all. */
export const MAX_BODY_DEPTH = 4

function tooLarge(): never {
  throw exchangeError(400, 'invalid_parameter', `요청 본문이 너무 큽니다 (최대 ${MAX_BODY_BYTES} bytes).`)
}

/** The body as text, reading at most MAX_BODY_BYTES (the Content-Length is checked first). */
export async function readBoundedText(req: Request): Promise<string> {
  const declared = Number(req.headers.get('content-length') ?? '0')
  if (declared > MAX_BODY_BYTES) tooLarge()
  if (req.body === null) return ''
  const reader = req.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > MAX_BODY_BYTES) {
      await reader.cancel()
      tooLarge()
    }
    chunks.push(value)
  }
  return Buffer.concat(chunks).toString('utf8')
}

/** Nesting depth of JSON text, counted without recursion (brackets inside strings ignored). */
export function jsonDepth(text: string): number {
  let depth = 0
  let max = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i)
    if (inString) {
      if (ch === 0x5c)
        i++ // backslash: skip the escaped character
      else if (ch === 0x22) inString = false
    } else if (ch === 0x22) inString = true
    else if (ch === 0x5b || ch === 0x7b) max = Math.max(max, ++depth)
    else if (ch === 0x5d || ch === 0x7d) depth--
  }
  return max
}

/** Parses a JSON object body; 400 `invalid_parameter` for anything else or anything too deep. */
export function parseBodyObject(text: string): Record<string, unknown> {
  if (jsonDepth(text) > MAX_BODY_DEPTH) {
    throw exchangeError(400, 'invalid_parameter', `요청 본문의 중첩이 너무 깊습니다 (최대 ${MAX_BODY_DEPTH}단계).`)
  }
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    throw exchangeError(400, 'invalid_parameter', 'JSON 본문을 해석할 수 없습니다.')
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw exchangeError(400, 'invalid_parameter', '요청 본문은 JSON 객체여야 합니다.')
  return body as Record<string, unknown>
}
