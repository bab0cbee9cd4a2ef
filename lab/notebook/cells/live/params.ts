// A live cell's inputs: which promotion to run, where (venue) and how (paper or live), and the run
// it follows once started (null before). Starting is the cell's Start button, never its Run:
// running the cell (by hand, "Run all" or on reopening the notebook) only follows the run.
import * as v from 'valibot'

export const LiveParams = v.strictObject({
  promotionId: v.nullable(v.pipe(v.number(), v.safeInteger(), v.minValue(1))),
  venue: v.pipe(v.string(), v.regex(/^[a-z][a-z0-9_-]{0,31}$/, 'expected a venue id like sim or upbit')),
  mode: v.picklist(['paper', 'live']),
  runId: v.nullable(v.pipe(v.string(), v.regex(/^[A-Za-z0-9_]{1,40}$/, 'expected a run id'))),
})
export type LiveParams = v.InferOutput<typeof LiveParams>

export const defaultLiveParams = (): LiveParams => ({ promotionId: null, venue: 'sim', mode: 'paper', runId: null })
