// User strategies in the shared core: module checks, the transpile step (line numbers kept), and
// the audits, each shown failing on a rule built to fail it. The evaluation here is a plain
// Function (the sandboxes are tested in edge and the lab); what is checked is what comes out.
import { describe, expect, it } from 'vitest'
import { auditStrategy } from '../../../../shared/strategies/user/audits.ts'
import { checkSignals, userStrategyFromModule } from '../../../../shared/strategies/user/module.ts'
import { loadUserStrategy, transpile, type Evaluate } from '../../../../shared/strategies/user/source.ts'
import type { StrategyDef } from '../../../../shared/strategies/types.ts'
import { randomWalkSeries } from '../lookahead.ts'

const plainEvaluate: Evaluate = (code, globals) => new Function(...Object.keys(globals), `return ${code}`)(...Object.values(globals))

const rule = (signals: string, warmup = '() => 0') =>
  `export default { id: 'user.t', version: 1, params: [{ name: 'n', default: 3, min: 1, max: 10, step: 1, integer: true }], warmup: ${warmup}, signals(s, p, ta) { ${signals} } }`

function load(src: string): StrategyDef {
  const r = loadUserStrategy(src, plainEvaluate)
  if (!r.ok) throw new Error(r.error.message)
  return r.value.def
}

const audit = (def: StrategyDef) => {
  let t = 0
  return auditStrategy(def, randomWalkSeries(2, 600), {}, { now: () => (t += 1) })
}
const failed = (def: StrategyDef) => audit(def).results.filter((r) => !r.ok)

describe('user strategy modules', () => {
  it('checks the module shape and the id', () => {
    expect(userStrategyFromModule(null).ok).toBe(false)
    expect(userStrategyFromModule({ id: 'rsi', version: 1, params: [], warmup: () => 0, signals: () => new Int8Array(0) })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/user\.my-strategy/),
    })
    expect(userStrategyFromModule({ id: 'user.a', version: 0, params: [], warmup: () => 0, signals: () => new Int8Array(0) }).ok).toBe(
      false,
    )
    expect(
      userStrategyFromModule({
        id: 'user.a',
        version: 1,
        params: [{ name: 'x', default: 1, min: 2, max: 3, step: 1 }],
        warmup: () => 0,
        signals: () => new Int8Array(0),
      }).ok,
    ).toBe(false)
    expect(checkSignals(new Int8Array([1, 0, -1]), 3)).toBeNull()
    expect(checkSignals(new Int8Array([2]), 1)).toMatch(/signals\[0\] is 2/)
    expect(checkSignals([1], 1)).toMatch(/Int8Array/)
  })

  it('transpiles TypeScript keeping line numbers', () => {
    const r = transpile('const a: number = 1\n\ninterface X { y: string }\nexport default { a }\n')
    expect(r.ok).toBe(true)
    const bad = transpile('const a = 1\nconst b = (\n')
    expect(bad).toMatchObject({ ok: false, error: { stage: 'syntax', line: 3 } })
  })

  it('resolves params before the rule sees them and passes the indicators as ta', () => {
    const def = load(
      rule(
        'const r = ta.sma(s.close, p.n); const o = new Int8Array(s.close.length); for (let t = p.n; t < o.length; t++) o[t] = s.close[t] > r[t] ? 1 : -1; return o',
        '(p) => p.n',
      ),
    )
    const s = randomWalkSeries(1, 100)
    expect(def.signals(s, {}).length).toBe(100)
    expect(def.warmup({})).toBe(3)
    expect(() => def.signals(s, { n: 50 })).toThrow(/outside/)
    expect(audit(def).ok).toBe(true)
  })
})

describe('audits', () => {
  it('shape: a wrong length or value fails', () => {
    expect(failed(load(rule('return new Int8Array(3)'))).map((r) => r.name)).toEqual(['shape'])
  })

  it('determinism: output that changes between runs fails with the bar and both values', () => {
    const def = load(`let calls = 0\n${rule('calls++; const o = new Int8Array(s.close.length); o[5] = calls % 2 ? 1 : -1; return o')}`)
    const f = failed(def)
    expect(f[0]).toMatchObject({ name: 'determinism', bar: 5, values: [1, -1] })
  })

  it('warm-up honesty: a signal before the declared warm-up fails', () => {
    const def = load(rule('const o = new Int8Array(s.close.length); o[2] = 1; return o', '() => 10'))
    expect(failed(def)).toEqual([expect.objectContaining({ name: 'warmup', bar: 2 })])
  })

  it('look-ahead: reading the next bar fails with the bar and the two values', () => {
    const def = load(
      rule(
        'const o = new Int8Array(s.close.length); for (let t = 0; t + 1 < o.length; t++) o[t] = s.close[t + 1] > s.close[t] ? 1 : -1; return o',
      ),
    )
    const f = failed(def)
    expect(f.map((r) => r.name)).toEqual(['lookahead'])
    expect(f[0]!.values).toHaveLength(2)
    expect(f[0]!.detail).toMatch(/looks ahead/)
  })

  it('a rule that throws fails the audit it threw in', () => {
    expect(failed(load(rule('throw new Error("boom")')))).toEqual([
      expect.objectContaining({ name: 'shape', detail: expect.stringMatching(/boom/) }),
    ])
  })
})

describe('the README examples', () => {
  it('load and pass every audit', async () => {
    const { readFileSync } = await import('node:fs')
    const readme = readFileSync(new URL('../../../../README.md', import.meta.url), 'utf8')
    const section = readme.slice(readme.indexOf('## User strategies'), readme.indexOf('## Optimizer ('))
    const blocks = [...section.matchAll(/```(?:ts|js)\n([\s\S]*?)```/g)].map((m) => m[1]!)
    expect(blocks).toHaveLength(2)
    for (const src of blocks) {
      const def = load(src)
      const report = audit(def)
      expect(report.results.filter((r) => !r.ok)).toEqual([])
      expect(def.signals(randomWalkSeries(9, 800), {}).some((v) => v !== 0)).toBe(true)
    }
  })
})
