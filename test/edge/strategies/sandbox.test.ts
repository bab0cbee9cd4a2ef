// The strategy sandbox (worker thread + SES): a user strategy computes the same signals as the
// same rule in-process; the sandbox has no clock, randomness, timers, network or Node globals;
// an endless loop is stopped at the call's time limit and a heap blow-up at the heap limit;
// syntax errors come back with the user's line; a user-written RSI cross equals the built-in rsi
// bit for bit.
import { afterAll, describe, expect, it } from 'vitest'
import { StrategySandbox } from '../../../edge/strategies/sandbox.ts'
import { rsi } from '../../../shared/indicators/index.ts'
import { randomWalkSeries } from '../../shared/strategies/lookahead.ts'
import { getStrategy } from '../../../shared/strategies/index.ts'
import { RSI_AS_BUILTIN } from '../../shared/strategies/user/rsi-as-builtin.ts'
import { RSI_CROSS } from './fixtures.ts'

const open: StrategySandbox[] = []
afterAll(async () => {
  for (const b of open) await b.close()
})

async function load(source: string, limits?: Parameters<typeof StrategySandbox.open>[1]) {
  const r = await StrategySandbox.open(source, limits)
  if (r.ok) open.push(r.value)
  return r
}

const tiny = (body: string) => `export default { id: 'user.t', version: 1, params: [], warmup: () => 0, signals(s) { ${body} } }`

describe('strategy sandbox', () => {
  it('loads a TypeScript strategy and gives the rule its signals', async () => {
    const r = await load(RSI_CROSS)
    expect(r.ok).toBe(true)
    if (!r.ok) return
    expect(r.value.meta).toMatchObject({ id: 'user.rsi-cross', version: 1, name: 'RSI cross' })
    expect(r.value.meta.params.map((p) => p.name)).toEqual(['period', 'low', 'high'])
    const s = randomWalkSeries(4, 3_000)
    const got = await r.value.signals(s, { period: 10 })
    const r10 = rsi(s.close, 10)
    const want = new Int8Array(s.close.length)
    for (let t = 11; t < want.length; t++) want[t] = r10[t]! < 30 ? 1 : r10[t]! > 70 ? -1 : 0
    expect(got).toEqual(want)
    expect(await r.value.warmup({ period: 10 })).toBe(11)
    const report = await r.value.audit(s, { period: 10 })
    expect(report.results.map((x) => [x.name, x.ok])).toEqual([
      ['shape', true],
      ['determinism', true],
      ['warmup', true],
      ['lookahead', true],
      ['speed', true],
    ])
  }, 60_000)

  it('a user-written RSI cross gives bit-identical signals to the built-in rsi, in the sandbox', async () => {
    const r = await load(RSI_AS_BUILTIN)
    if (!r.ok) throw new Error(r.error.message)
    const builtin = getStrategy('rsi')
    let nonZero = 0
    for (let c = 0; c < 24; c++) {
      const s = randomWalkSeries(100 + c, 2_000, c % 2 === 0 ? { tick: 1_000, startPrice: 20_000 } : {})
      const period = 2 + ((c * 7) % 40)
      const ri = rsi(s.close, period)
      // Every third case puts the oversold level exactly on an RSI value the series reaches.
      const touch = c % 3 === 0 ? ri.find((v, t) => t > 0 && ri[t - 1]! < v && v >= 5 && v <= 50) : undefined
      const params = { period, oversold: touch ?? 5 * (1 + (c % 10)), overbought: 50 + 5 * (c % 10) }
      const want = builtin.signals(s, params)
      expect(Array.from(await r.value.signals(s, params)), JSON.stringify(params)).toEqual(Array.from(want))
      nonZero += want.filter((v) => v !== 0).length
    }
    expect(nonZero).toBeGreaterThan(100)
    expect(await r.value.warmup({ period: 14 })).toBe(builtin.warmup({ period: 14, oversold: 30, overbought: 70 }))
  }, 60_000)

  it('offers no clock, randomness, timers, network or Node globals', async () => {
    const r = await load(
      tiny(
        `throw new Error([typeof process, typeof require, typeof fetch, typeof setTimeout, typeof Buffer, typeof Math.random, typeof WebSocket, typeof globalThis.postMessage].join(','))`,
      ),
    )
    expect(r.ok).toBe(true)
    if (!r.ok) return
    await expect(r.value.signals(randomWalkSeries(1, 5), {})).rejects.toThrow(
      'undefined,undefined,undefined,undefined,undefined,undefined,undefined,undefined',
    )
    const d = await load(tiny('return new Int8Array(s.close.length).fill(Date.now() % 2)'))
    if (!d.ok) throw new Error('load')
    await expect(d.value.signals(randomWalkSeries(1, 5), {})).rejects.toThrow(/Date/)
  }, 60_000)

  it('stops an endless loop at the time limit, and the sandbox stays stopped', async () => {
    const r = await load(tiny('for (;;) {}'), { callMs: 300, loadMs: 30_000, heapMb: 64 })
    if (!r.ok) throw new Error('load')
    const t = Date.now()
    await expect(r.value.signals(randomWalkSeries(1, 5), {})).rejects.toThrow(/time limit \(300 ms/)
    expect(Date.now() - t).toBeLessThan(2_000)
    await expect(r.value.warmup({})).rejects.toThrow(/time limit/)
  }, 60_000)

  it('a heap blow-up ends the sandbox, not edge', async () => {
    const r = await load(tiny('const keep = []; for (let i = 0; ; i++) keep.push(new Array(1e5).fill(i + 0.5)); '), {
      callMs: 20_000,
      loadMs: 30_000,
      heapMb: 64,
    })
    if (!r.ok) throw new Error('load')
    await expect(r.value.signals(randomWalkSeries(1, 5), {})).rejects.toThrow(/sandbox/)
  }, 60_000)

  it("reports syntax and runtime errors with the user's line, and malformed modules plainly", async () => {
    const syn = await load(`export default {\n  id: 'user.x', version: 1,\n  signals(s) { return 1 + }\n}`)
    expect(syn.ok).toBe(false)
    if (!syn.ok) expect(syn.error).toMatchObject({ stage: 'syntax', line: 3 })
    const bad = await load(`export default { id: 'x', version: 1, params: [], warmup: () => 0, signals: () => null }`)
    expect(bad.ok).toBe(false)
    if (!bad.ok) expect(bad.error).toMatchObject({ stage: 'module', message: expect.stringMatching(/user\.my-strategy/) })
    // Runtime errors name the user's line too: in the rule (its own line, or its call of an
    // indicator that threw) and in the module's top-level code.
    const rule = (body: string) =>
      `export default {\n  id: 'user.t', version: 1, params: [], warmup: () => 0,\n  signals(s) {\n    const x = null\n    ${body}\n    return new Int8Array(s.close.length)\n  },\n}`
    for (const body of ['x.boom = 1', 'ta.rsi(null, 3)', 'throw new Error("mine")']) {
      const r = await load(rule(body))
      if (!r.ok) throw new Error('load')
      await expect(r.value.signals(randomWalkSeries(1, 5), {})).rejects.toThrow(/ \(line 5\)$/)
    }
    const top = await load(`const a = 1\nconst b = null\nb.c\nexport default {}`)
    expect(top.ok).toBe(false)
    if (!top.ok) expect(top.error).toMatchObject({ stage: 'evaluate', line: 3 })
    const wrong = await load(tiny('return [1, 0]'))
    if (!wrong.ok) throw new Error('load')
    await expect(wrong.value.signals(randomWalkSeries(1, 5), {})).rejects.toThrow(/Int8Array/)
  }, 60_000)
})
