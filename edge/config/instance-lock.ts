// One edge per DATA_DIR (reliability REC-2): two edges on one journal and one set of keys would
// each think its orders are the only ones. A lock file holds the owner's pid; it is created with
// O_EXCL, and a lock whose process is gone (edge was killed) is taken over. A second edge exits
// with a clear message before it opens the journal or talks to a venue.
import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { ConfigError } from './errors.ts'

export interface InstanceLock {
  readonly path: string
  release(): void
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}

export function acquireInstanceLock(dataDir: string, pid: number = process.pid): InstanceLock {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 })
  const path = join(dataDir, 'edge.lock')
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600)
      writeSync(fd, `${pid}\n`)
      closeSync(fd)
      return {
        path,
        release() {
          try {
            if (readFileSync(path, 'utf8').trim() === String(pid)) unlinkSync(path)
          } catch {
            // Already gone: nothing to release.
          }
        },
      }
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e
      const owner = Number(readFileSync(path, 'utf8').trim())
      if (Number.isSafeInteger(owner) && owner > 0 && alive(owner)) {
        throw new ConfigError(`another edge (pid ${owner}) is using ${dataDir}: stop it first, or give this one its own DATA_DIR`)
      }
      // The owner died (kill -9, power loss): its lock is stale.
      unlinkSync(path)
    }
  }
  throw new ConfigError(`could not take the lock ${path}`)
}
