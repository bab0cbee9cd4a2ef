// A strategy cell's inputs: the module's source and its language (TypeScript or JavaScript; both
// go through the same transpiler, the language picks the editor's highlighting).
import * as v from 'valibot'
import { TEMPLATES } from './templates.ts'

/** shared/strategies/user/source.ts MAX_SOURCE_BYTES (not imported: it would bring the transpiler into the page). */
export const MAX_SOURCE_CHARS = 200_000

export const StrategyCellParams = v.strictObject({
  source: v.pipe(v.string(), v.maxLength(MAX_SOURCE_CHARS, `the source is over ${MAX_SOURCE_CHARS.toLocaleString('en-US')} characters`)),
  lang: v.picklist(['ts', 'js']),
})
export type StrategyCellParams = v.InferOutput<typeof StrategyCellParams>

export const defaultStrategyCellParams = (): StrategyCellParams => ({ source: TEMPLATES[0]!.source, lang: TEMPLATES[0]!.lang })
