// One edge per DATA_DIR: a second lock is refused while the first holder lives, a dead holder's
// lock is taken over, and release removes only our own lock. Also the venue clock setting.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { acquireInstanceLock } from '../../../edge/config/instance-lock.ts'
import { ConfigError } from '../../../edge/config/errors.ts'
import { parseVenueClock } from '../../../edge/config/settings.ts'

describe('instance lock', () => {
  it('refuses a second edge while the first lives, and takes over a dead one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'edge-lock-'))
    const first = acquireInstanceLock(dir)
    expect(readFileSync(first.path, 'utf8').trim()).toBe(String(process.pid))
    expect(() => acquireInstanceLock(dir)).toThrow(ConfigError)
    expect(() => acquireInstanceLock(dir)).toThrow(/another edge \(pid \d+\)/)
    first.release()
    const second = acquireInstanceLock(dir)
    second.release()
    // A lock left by a process that no longer exists (kill -9) is stale.
    writeFileSync(join(dir, 'edge.lock'), '2147483646\n')
    const third = acquireInstanceLock(dir)
    expect(readFileSync(third.path, 'utf8').trim()).toBe(String(process.pid))
    third.release()
  })
})

describe('UPBIT_CLOCK', () => {
  it('is an affine clock: venue = v0 + (wall − w0) × speed', () => {
    let wall = 2_000
    const clock = parseVenueClock('1000000@1000x60', () => wall)
    expect(clock()).toBe(1_000_000 + 1_000 * 60)
    wall = 2_500
    expect(clock()).toBe(1_000_000 + 1_500 * 60)
  })

  it.each(['', '1@2', '1@2x0', 'a@bxc', '1@2x-3'])('refuses %j', (text) => {
    expect(() => parseVenueClock(text)).toThrow(/UPBIT_CLOCK/)
  })
})
