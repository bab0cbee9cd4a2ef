// Sweep checkpoints in one file (the CLI's --checkpoint FILE), behind the same CheckpointStore
// interface as the lab's IndexedDB store. The file is JSON Lines, appended to:
//   {"meta":{…SweepMeta}}
//   {"chunk":{"sweepId","chunkIndex","startCombo","endCombo"},"rows":"<base64>"}
// Rows are the Float64Array's bytes in base64 (little-endian, the platform's order on every
// machine Node runs on), so NaN, ±Infinity and -0 come back exactly, which JSON numbers cannot do.
// A sweep's last meta line wins, as does a chunk's last line; a torn last line (a crash in the
// middle of a write) does not parse and is skipped, and the coordinator re-runs that chunk.
// The file is read line by line, never as one string: a 10-million-combo sweep writes ~1.4 GB.
import { createReadStream, existsSync } from 'node:fs'
import { appendFile, open, rename } from 'node:fs/promises'
import { createInterface } from 'node:readline'
import type { CheckpointStore, ChunkRecord, SweepMeta } from '../../shared/optimize/coordinator/index.ts'

interface ChunkLine {
  readonly chunk: Omit<ChunkRecord, 'rows'>
  readonly rows: string
}

async function* lines(path: string): AsyncGenerator<string> {
  if (!existsSync(path)) return
  const rl = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity })
  for await (const line of rl) if (line.length > 0) yield line
}

function parse(line: string): unknown {
  try {
    return JSON.parse(line)
  } catch {
    return undefined // a torn line
  }
}

const isMetaLine = (line: string): boolean => line.startsWith('{"meta":')

function encodeRows(rows: Float64Array): string {
  return Buffer.from(rows.buffer, rows.byteOffset, rows.byteLength).toString('base64')
}

function decodeRows(text: string): Float64Array {
  const bytes = Buffer.from(text, 'base64')
  // A copy: Buffer's pool memory is not 8-byte aligned.
  const rows = new Float64Array(bytes.length / 8)
  new Uint8Array(rows.buffer).set(bytes)
  return rows
}

function chunkLine(r: ChunkRecord): string {
  const { rows, ...chunk } = r
  return `${JSON.stringify({ chunk, rows: encodeRows(rows) } satisfies ChunkLine)}\n`
}

async function metas(path: string): Promise<Map<string, SweepMeta>> {
  const out = new Map<string, SweepMeta>()
  for await (const line of lines(path)) {
    if (!isMetaLine(line)) continue
    const m = (parse(line) as { meta?: SweepMeta } | undefined)?.meta
    if (m !== undefined) out.set(m.sweepId, m)
  }
  return out
}

export function openCheckpointFile(path: string): CheckpointStore {
  // Appends run one after another, in call order.
  let queue: Promise<void> = Promise.resolve()
  const append = (text: string): Promise<void> => (queue = queue.then(() => appendFile(path, text)))
  return {
    putMeta: (meta) => append(`${JSON.stringify({ meta })}\n`),
    async getMeta(sweepId) {
      await queue
      return (await metas(path)).get(sweepId)
    },
    async listSweeps() {
      await queue
      return [...(await metas(path)).values()].sort((a, b) => b.updatedMs - a.updatedMs)
    },
    putChunks: (recs) => (recs.length === 0 ? queue : append(recs.map(chunkLine).join(''))),
    async loadChunks(sweepId) {
      await queue
      const byIndex = new Map<number, ChunkRecord>()
      for await (const line of lines(path)) {
        if (isMetaLine(line)) continue
        const c = parse(line) as ChunkLine | undefined
        if (c?.chunk?.sweepId !== sweepId || typeof c.rows !== 'string') continue
        byIndex.set(c.chunk.chunkIndex, { ...c.chunk, rows: decodeRows(c.rows) })
      }
      return [...byIndex.values()].sort((a, b) => a.chunkIndex - b.chunkIndex)
    },
    async deleteSweep(sweepId) {
      await queue
      // Written aside and renamed: a crash leaves the old file or the new one, never half of one.
      const out = await open(`${path}.tmp`, 'w')
      try {
        for await (const line of lines(path)) {
          const o = parse(line) as { meta?: SweepMeta; chunk?: { sweepId: string } } | undefined
          if (o !== undefined && (o.meta ?? o.chunk)?.sweepId !== sweepId) await out.write(`${line}\n`)
        }
      } finally {
        await out.close()
      }
      await rename(`${path}.tmp`, path)
    },
    close: () => undefined,
  }
}
