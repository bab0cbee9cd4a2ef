// Registry and parameter resolution: defaults, validation errors naming the parameter, typed
// results for boundaries, registration of user strategies and its failure modes.
import { describe, expect, it } from 'vitest'
import {
  defineStrategy,
  findStrategy,
  getStrategy,
  ParamError,
  paramSpec,
  registerStrategy,
  resolveParams,
  strategies,
  StrategyRegistrationError,
  strategyIds,
  tryResolveParams,
  UnknownStrategyError,
} from '../../../shared/strategies/index.ts'
import { randomWalkSeries } from './lookahead.ts'

const swing = getStrategy('swing')

describe('resolveParams', () => {
  it('fills defaults and keeps given values', () => {
    expect(resolveParams(swing, {})).toEqual({ short: 5, long: 20 })
    expect(resolveParams(swing, { long: 30 })).toEqual({ short: 5, long: 30 })
    expect(resolveParams(getStrategy('ensemble'), { 'w.day': 0.5 })['w.day']).toBe(0.5)
  })
  it('rejects unknown names, out-of-range, non-integer and non-finite values, naming the parameter', () => {
    expect(() => resolveParams(swing, { lenght: 3 })).toThrow(
      /strategy 'swing', parameter 'lenght': unknown parameter \(known: short, long\)/,
    )
    expect(() => resolveParams(swing, { short: 1 })).toThrow(/parameter 'short': 1 is outside \[2, 200\]/)
    expect(() => resolveParams(swing, { long: 201 })).toThrow(/parameter 'long': 201 is outside/)
    expect(() => resolveParams(swing, { long: 20.5 })).toThrow(/parameter 'long': must be an integer/)
    expect(() => resolveParams(swing, { long: Number.NaN })).toThrow(/parameter 'long': must be a finite number/)
    try {
      resolveParams(swing, { short: 0 })
      expect.unreachable()
    } catch (e) {
      expect(e).toBeInstanceOf(ParamError)
      expect((e as ParamError).param).toBe('short')
      expect((e as ParamError).strategyId).toBe('swing')
    }
  })
  it('tryResolveParams returns a typed result', () => {
    const ok = tryResolveParams(swing, { short: 3 })
    expect(ok.ok && ok.value['short']).toBe(3)
    const bad = tryResolveParams(swing, { short: -3 })
    expect(!bad.ok && bad.error.param).toBe('short')
  })
  it('signals() and warmup() validate their params too', () => {
    const s = randomWalkSeries(1, 50)
    expect(() => swing.signals(s, { short: 0 })).toThrow(ParamError)
    expect(() => swing.warmup({ long: 1000 })).toThrow(ParamError)
    expect(swing.warmup({ short: 7, long: 3 })).toBe(6)
  })
})

describe('registry', () => {
  it('looks strategies up by id, and unknown ids (including prototype keys) are undefined', () => {
    expect(getStrategy('trend')?.id).toBe('trend')
    expect(findStrategy('trend')).toBe(getStrategy('trend'))
    expect(findStrategy('nope')).toBeUndefined()
    expect(findStrategy('__proto__')).toBeUndefined()
    expect(findStrategy('toString')).toBeUndefined()
    expect(() => getStrategy('nope')).toThrow(UnknownStrategyError)
    expect(() => getStrategy('nope')).toThrow(/unknown strategy 'nope' \(registered: trend, momentum/)
    for (const id of strategyIds) expect(strategies[id]?.id).toBe(id)
  })
  it('registers a user strategy and exposes it everywhere (live views)', () => {
    const def = defineStrategy({
      id: 'user-always-long',
      version: 1,
      name: 'Always long',
      description: 'test strategy: +1 from bar `delay` on',
      params: [paramSpec('delay', { default: 2, min: 0, max: 10, step: 1, unit: 'bars', integer: true })],
      warmup: (p) => p['delay']!,
      compute: (series, p, out) => {
        out.fill(0)
        out.fill(1, Math.min(out.length, p['delay']!))
      },
    })
    const before = strategyIds.length
    registerStrategy(def)
    expect(strategyIds.length).toBe(before + 1)
    expect(strategyIds.at(-1)).toBe('user-always-long')
    expect(strategies['user-always-long']).toBe(def)
    expect([...getStrategy('user-always-long').signals(randomWalkSeries(2, 5), { delay: 3 })]).toEqual([0, 0, 0, 1, 1])
    expect(() => registerStrategy(def)).toThrow(StrategyRegistrationError)
    expect(() => registerStrategy(def)).toThrow(/already registered/)
  })
  it('rejects bad ids, versions and schemas', () => {
    const base = { version: 1, name: 'x', description: 'x', params: [], warmup: () => 0, signals: () => new Int8Array(0) }
    expect(() => registerStrategy({ ...base, id: 'Bad_Id' })).toThrow(/kebab-case/)
    expect(() => registerStrategy({ ...base, id: 'ok-id', version: 0 })).toThrow(/version/)
    const badSpec = paramSpec('n', { default: 50, min: 0, max: 10, step: 1, unit: 'bars', integer: true })
    expect(() => registerStrategy({ ...base, id: 'bad-schema', params: [badSpec] })).toThrow(
      /parameter 'n': bad schema: default 50 outside/,
    )
    const fracInt = paramSpec('n', { default: 1.5, min: 0, max: 10, step: 1, unit: 'bars', integer: true })
    expect(() => registerStrategy({ ...base, id: 'bad-schema', params: [fracInt] })).toThrow(/integer parameter/)
    const dup = paramSpec('n', { default: 1, min: 0, max: 10, step: 1, unit: 'bars', integer: true })
    expect(() => registerStrategy({ ...base, id: 'bad-schema', params: [dup, dup] })).toThrow(/duplicate/)
    expect(findStrategy('bad-schema')).toBeUndefined()
  })
  it('every schema is usable for grids: step > 0, integer params have integer bounds and steps', () => {
    for (const id of strategyIds) {
      for (const p of strategies[id]!.params) {
        expect(p.step, `${id}.${p.name}`).toBeGreaterThan(0)
        expect(p.label.length).toBeGreaterThan(0)
        expect(p.unit.length).toBeGreaterThan(0)
        if (p.integer) expect([p.min, p.max, p.step, p.default].every(Number.isInteger)).toBe(true)
      }
    }
  })
})
