// Persistence of an Upbit 418 block (reliability.md RL-4): the block's end time and the count of
// consecutive blocks survive a restart, so a restarted edge does not hammer the exchange and earn a
// longer block. Production: a small JSON file under the data dir; tests: in memory.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'

export interface BlockState {
  /** No Upbit call before this time (epoch ms). */
  readonly blockedUntilMs: number
  /** Consecutive 418s without a clean request in between (drives the doubling fallback). */
  readonly consecutiveBlocks: number
}

export interface BlockStore {
  load(): BlockState | undefined
  save(state: BlockState): void
}

export function createMemoryBlockStore(initial?: BlockState): BlockStore & { readonly saved: BlockState[] } {
  let state = initial
  const saved: BlockState[] = []
  return {
    saved,
    load: () => state,
    save: (s) => {
      state = s
      saved.push(s)
    },
  }
}

function isBlockState(x: unknown): x is BlockState {
  if (typeof x !== 'object' || x === null) return false
  const o = x as Record<string, unknown>
  return typeof o.blockedUntilMs === 'number' && Number.isFinite(o.blockedUntilMs) && typeof o.consecutiveBlocks === 'number'
}

/**
 * JSON file store. Writes go to a temp file then rename (atomic on POSIX), so a crash never leaves
 * half a file. A missing file means "never blocked"; an unreadable one is reported, not ignored.
 */
export function createFileBlockStore(path: string): BlockStore {
  return {
    load() {
      let text: string
      try {
        text = readFileSync(path, 'utf8')
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined
        throw e
      }
      const parsed: unknown = JSON.parse(text)
      if (!isBlockState(parsed)) throw new Error(`${path}: not a block state file`)
      return parsed
    },
    save(state) {
      mkdirSync(dirname(path), { recursive: true })
      const tmp = `${path}.tmp`
      writeFileSync(tmp, `${JSON.stringify(state)}\n`, { mode: 0o600 })
      renameSync(tmp, path)
    },
  }
}
