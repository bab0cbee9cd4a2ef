// Front door of the sweep results writer, used by the CLI (to files) and the lab (its download
// buttons): one CSV and one JSON shape, written row by row through a TextSink.
export { writeResultsCsv } from './csv.ts'
export { jsonNumber, jsonValue, resultsHead, writeResultsJson } from './json.ts'
export type { ResultsDocument } from './json.ts'
export { bufferedSink, collectText } from './sink.ts'
export type { TextSink } from './sink.ts'
