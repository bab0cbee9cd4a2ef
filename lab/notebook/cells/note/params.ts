// A note's only input: its markdown text.
import * as v from 'valibot'

export const NoteParams = v.strictObject({ source: v.pipe(v.string(), v.maxLength(200_000)) })
export type NoteParams = v.InferOutput<typeof NoteParams>
