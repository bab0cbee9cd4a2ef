// Where the results writer puts its text: a sink that takes pieces in order. Big sweeps are
// written row by row (millions of rows do not fit in one string: V8's limit is ~512 M
// characters, about 2 million CSV rows); the CLI's sink writes to a file, the lab's collects
// pieces for a Blob, tests join them.

export interface TextSink {
  write(text: string): void
}

/** Batches small writes into pieces of about `pieceChars` characters for `emit`; call flush() at the end. */
export function bufferedSink(emit: (piece: string) => void, pieceChars = 1 << 20): TextSink & { flush(): void } {
  let parts: string[] = []
  let size = 0
  const flush = (): void => {
    if (parts.length > 0) emit(parts.join(''))
    parts = []
    size = 0
  }
  return {
    write(text) {
      parts.push(text)
      size += text.length
      if (size >= pieceChars) flush()
    },
    flush,
  }
}

/** The pieces `write` produces, each about a megabyte (e.g. the parts of a Blob). */
export function collectText(write: (sink: TextSink) => void): string[] {
  const pieces: string[] = []
  const sink = bufferedSink((p) => pieces.push(p))
  write(sink)
  sink.flush()
  return pieces
}
