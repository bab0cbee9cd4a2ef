// The CLI's result files: PREFIX.csv and PREFIX.json, written by the shared results writer
// (shared/optimize/results: the same CSV and JSON the lab's download buttons produce) row by row
// into the files, so a sweep of millions of combos never has to fit in one string.
import { closeSync, openSync, writeSync } from 'node:fs'
import { bufferedSink, writeResultsCsv, writeResultsJson } from '../../shared/optimize/results/index.ts'
import type { ResultsDocument, TextSink } from '../../shared/optimize/results/index.ts'

function withFile(path: string, write: (sink: TextSink) => void): void {
  const fd = openSync(path, 'w')
  try {
    const sink = bufferedSink((piece) => void writeSync(fd, piece))
    write(sink)
    sink.flush()
  } finally {
    closeSync(fd)
  }
}

export function writeResults(prefix: string, doc: ResultsDocument): { csv: string; json: string } {
  const csv = `${prefix}.csv`
  const json = `${prefix}.json`
  withFile(csv, (sink) => writeResultsCsv(sink, doc.plan, doc.rows))
  withFile(json, (sink) => writeResultsJson(sink, doc))
  return { csv, json }
}
