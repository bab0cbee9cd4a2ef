// /api/promotions through the real app (guards included) on an in-memory journal: promote,
// idempotent re-post, list, read, diff, retire, and every bad input (each a 400 naming the field,
// with nothing stored). Last, the canary: a body carrying an API key is refused, and no secret
// reaches the journal file.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { DEFAULT_EXEC_CONFIG } from '../../../shared/engine/types.ts'
import { canonicalJson, contentHash } from '../../../edge/promotions/index.ts'
import { openJournal } from '../../../edge/journal/index.ts'
import { memoryJournal, NOW, tempJournalPath } from '../journal/fixtures.ts'
import { makeApp, ORIGIN, request } from './fixtures.ts'

const JSON_HEADERS = { 'content-type': 'application/json' }

const VALID_BODY = {
  strategy: { id: 'rsi', version: 1 },
  params: { period: 14, oversold: 30 },
  market: 'KRW-BTC',
  timeframe: '15m',
  exec: DEFAULT_EXEC_CONFIG,
  risk: { maxPositionQuote: 500_000, dailyLossLimitRate: 0.03, maxDrawdownRate: 0.1 },
  backtest: {
    range: { source: 'sim', fromMs: 1_719_792_000_000, toMs: 1_722_470_400_000, bars: 2976 },
    metrics: { totalReturn: 0.12, sharpe: 1.3, maxDrawdown: -0.08, profitFactor: null, trades: 42 },
  },
}

function setup() {
  let clock = NOW
  const journal = memoryJournal()
  const app = makeApp({ journal, nowMs: () => clock++ })
  const post = (path: string, body: unknown, o: { token?: string | null; headers?: Record<string, string> } = {}) =>
    request(app, path, {
      method: 'POST',
      headers: { ...JSON_HEADERS, ...o.headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
      ...('token' in o ? { token: o.token } : {}),
    })
  const get = (path: string) => request(app, path)
  return { app, journal, post, get }
}

type Json = Record<string, unknown> & { error?: { code: string; field?: string; message: string } }
const json = async (res: Response): Promise<Json> => (await res.json()) as Json

/** A deep copy of the valid body with one path set (or deleted with `undefined`). */
function withField(path: string, value: unknown): Record<string, unknown> {
  const body = structuredClone(VALID_BODY) as Record<string, unknown>
  const keys = path.split('.')
  let at = body
  for (const k of keys.slice(0, -1)) at = at[k] as Record<string, unknown>
  if (value === undefined) delete at[keys.at(-1)!]
  else at[keys.at(-1)!] = value
  return body
}

describe('POST /api/promotions', () => {
  it('stores a new promotion: 201, Location, numbered, hashed, params resolved', async () => {
    const { post } = setup()
    const res = await post('/api/promotions', VALID_BODY)
    expect(res.status).toBe(201)
    expect(res.headers.get('location')).toBe('/api/promotions/1')
    const p = await json(res)
    expect(p).toMatchObject({
      id: 1,
      version: 1,
      strategy: { id: 'rsi', version: 1 },
      market: 'KRW-BTC',
      timeframe: '15m',
      createdAtMs: NOW,
      retired: false,
      retiredAtMs: null,
    })
    const config = p.config as typeof VALID_BODY
    expect(config.params).toEqual({ period: 14, oversold: 30, overbought: 70 }) // default filled in
    expect(config.exec).toEqual(DEFAULT_EXEC_CONFIG)
    expect(p.hash).toBe(contentHash(canonicalJson(config)))
    expect(p.hash).toMatch(/^[0-9a-f]{64}$/)
  })

  it('re-posting the same config returns the existing version (200), whatever the key order or spelled-out defaults', async () => {
    const { post, get } = setup()
    const first = await json(await post('/api/promotions', VALID_BODY))
    const reordered = Object.fromEntries(Object.entries(structuredClone(VALID_BODY)).reverse())
    const explicitDefaults = withField('params', { overbought: 70, oversold: 30, period: 14 })
    for (const body of [VALID_BODY, reordered, explicitDefaults]) {
      const res = await post('/api/promotions', body)
      expect(res.status).toBe(200)
      expect(res.headers.get('location')).toBeNull()
      expect(await json(res)).toEqual(first)
    }
    expect(((await json(await get('/api/promotions'))).promotions as unknown[]).length).toBe(1)
  })

  it('numbers versions per strategy and market; ids are global', async () => {
    const { post } = setup()
    const a = await json(await post('/api/promotions', VALID_BODY))
    const b = await json(await post('/api/promotions', withField('params.period', 21)))
    const c = await json(await post('/api/promotions', withField('market', 'KRW-ETH')))
    const d = await json(await post('/api/promotions', { ...withField('params', { period: 5 }), strategy: { id: 'momentum', version: 1 } }))
    expect([a, b, c, d].map((p) => [p.id, p.version])).toEqual([
      [1, 1],
      [2, 2],
      [3, 1],
      [4, 1],
    ])
    expect(a.hash).not.toBe(b.hash)
  })

  it('the backtest summary is part of the content: other metrics are a new version', async () => {
    const { post } = setup()
    await post('/api/promotions', VALID_BODY)
    expect((await post('/api/promotions', withField('backtest.metrics.sharpe', 1.4))).status).toBe(201)
  })
})

describe('bad input: 400 naming the field, nothing stored', () => {
  const cases: [string, unknown, string, RegExp?][] = [
    ['unknown top-level field (an API key)', withField('apiKey', 'CANARY-ak'), 'apiKey', /unknown field/],
    ['unknown secret in exec', withField('exec.secretKey', 'CANARY-sk'), 'exec.secretKey', /unknown field/],
    ['unknown field in risk', withField('risk.accessKey', 'x'), 'risk.accessKey', /unknown field/],
    ['unknown metric', withField('backtest.metrics.alpha', 1), 'backtest.metrics.alpha', /unknown field/],
    ['missing risk', withField('risk', undefined), 'risk', /required field is missing/],
    ['missing exec field', withField('exec.feeRate', undefined), 'exec.feeRate', /missing/],
    ['market not a string', withField('market', 5), 'market'],
    ['market not KRW', withField('market', 'BTC-ETH'), 'market', /KRW market/],
    ['unknown timeframe', withField('timeframe', '2m'), 'timeframe'],
    ['version as a string', withField('strategy.version', '1'), 'strategy.version'],
    ['unknown strategy', withField('strategy.id', 'moon-shot'), 'strategy.id', /unknown strategy 'moon-shot'/],
    ['wrong strategy version', withField('strategy.version', 2), 'strategy.version', /version 1, not 2/],
    ['param as a string', withField('params.period', '14'), 'params.period'],
    ['unknown param', withField('params.speed', 3), 'params.speed', /unknown parameter/],
    ['param out of range', withField('params.period', 500), 'params.period', /outside \[2, 100\]/],
    ['integer param with a fraction', withField('params.period', 14.5), 'params.period', /integer/],
    ['params not an object', withField('params', [14]), 'params'],
    ['exec fee out of range', withField('exec.feeRate', 2), 'exec.feeRate', /feeRate must be/],
    ['exec ttl not an integer', withField('exec.orderTtlBars', 1.5), 'exec.orderTtlBars'],
    ['exec ttl zero', withField('exec.orderTtlBars', 0), 'exec.orderTtlBars', /orderTtlBars must be/],
    ['exec order type', withField('exec.orderType', 'stop'), 'exec.orderType'],
    ['unknown sizing kind', withField('exec.sizing', { kind: 'martingale' }), 'exec.sizing.kind'],
    [
      'sizing field of another kind',
      withField('exec.sizing', { kind: 'fraction', fractionRate: 0.5, notionalQuote: 1 }),
      'exec.sizing.notionalQuote',
      /unknown field/,
    ],
    [
      'sizing out of range',
      withField('exec.sizing', { kind: 'fraction', fractionRate: 2 }),
      'exec.sizing.fractionRate',
      /fractionRate must be in/,
    ],
    ['minimum below the venue', withField('exec.minOrderQuote', 1000), 'exec.minOrderQuote', /5000/],
    ['daily loss limit zero', withField('risk.dailyLossLimitRate', 0), 'risk.dailyLossLimitRate', /> 0/],
    ['drawdown over 100%', withField('risk.maxDrawdownRate', 1.5), 'risk.maxDrawdownRate', /≤ 1/],
    ['position under one order', withField('risk.maxPositionQuote', 4000), 'risk.maxPositionQuote', /minimum order/],
    ['range backwards', withField('backtest.range.toMs', 1), 'backtest.range.toMs', /after fromMs/],
    ['range source', withField('backtest.range.source', 'excel'), 'backtest.range.source'],
    ['bars zero', withField('backtest.range.bars', 0), 'backtest.range.bars'],
    ['metric as a string', withField('backtest.metrics.sharpe', 'high'), 'backtest.metrics.sharpe'],
    [
      'a red checklist item without the typed confirmation',
      withField('checklist', { items: [{ id: 'pbo', label: 'PBO', level: 'red', detail: '0.62: likely luck' }], confirmation: null }),
      'checklist.confirmation',
      /type the market name \(KRW-BTC\)/,
    ],
    [
      'a wrong confirmation',
      withField('checklist', { items: [{ id: 'oos', label: 'OOS', level: 'amber', detail: 'x' }], confirmation: 'KRW-ETH' }),
      'checklist.confirmation',
      /amber or red/,
    ],
    [
      'an unknown checklist level',
      withField('checklist', { items: [{ id: 'a', label: 'A', level: 'blue', detail: '' }], confirmation: null }),
      'checklist.items.0.level',
    ],
    ['a checklist field too many', withField('checklist', { items: [], confirmation: null, extra: 1 }), 'checklist.extra', /unknown field/],
  ]
  it.each(cases)('%s', async (_name, body, field, message) => {
    const { post, get } = setup()
    const e = (await json(await post('/api/promotions', body))).error!
    expect(e).toMatchObject({ code: 'invalid_parameter', field })
    expect(e.message.startsWith(`${field}:`)).toBe(true)
    if (message) expect(e.message).toMatch(message)
    expect(await json(await get('/api/promotions'))).toEqual({ promotions: [] })
  })

  it('stores the checklist with the promotion: all green needs no confirmation; amber or red with the typed market name', async () => {
    const { post, get } = setup()
    const green = { items: [{ id: 'trades', label: 'Trade count', level: 'green', detail: '212 trades' }], confirmation: null }
    const a = await json(await post('/api/promotions', withField('checklist', green)))
    expect(a.id).toEqual(expect.any(Number))
    const flagged = { items: [{ id: 'pbo', label: 'PBO', level: 'red', detail: '0.62' }], confirmation: 'KRW-BTC' }
    const b = await json(await post('/api/promotions', withField('checklist', flagged)))
    const stored = (await json(await get(`/api/promotions/${String(b.id)}`))) as { config: { checklist: unknown } }
    expect(stored.config.checklist).toEqual(flagged)
  })

  it('the reserved keys valibot would drop silently are refused', async () => {
    const { post } = setup()
    const body = JSON.stringify(VALID_BODY).replace('"params":{', '"params":{"__proto__":{"x":1},')
    expect((await json(await post('/api/promotions', body))).error).toMatchObject({ code: 'invalid_parameter', field: 'params' })
    const top = JSON.stringify(VALID_BODY).replace('{', '{"__proto__":{"x":1},')
    expect((await json(await post('/api/promotions', top))).error).toMatchObject({
      field: '__proto__',
      message: '__proto__: unknown field',
    })
  })

  it('a number too large for a float (Infinity) is refused', async () => {
    const { post } = setup()
    const body = JSON.stringify(VALID_BODY).replace('"initialCash":1000000', '"initialCash":1e999')
    expect((await json(await post('/api/promotions', body))).error).toMatchObject({ code: 'invalid_parameter', field: 'exec.initialCash' })
  })

  it.each([['{'], [''], ['{"strategy":']])('bad JSON %j: 400 invalid_json', async (body) => {
    const { post } = setup()
    const res = await post('/api/promotions', body)
    expect(res.status).toBe(400)
    expect((await json(res)).error?.code).toBe('invalid_json')
  })

  it.each([['[]'], ['null'], ['"config"']])('a body that is not an object (%s): 400', async (body) => {
    const { post } = setup()
    expect((await json(await post('/api/promotions', body))).error?.code).toBe('invalid_parameter')
  })

  it('a huge body: 413 before parsing; a non-JSON content type: 415', async () => {
    const { post } = setup()
    // Promotions may carry a user strategy's source: their limit is 512 KiB (other routes: 64 KiB).
    const huge = withField('params', { period: 14, pad: 'x'.repeat(600 * 1024) })
    expect((await json(await post('/api/promotions', huge))).error?.code).toBe('payload_too_large')
    const res = await post('/api/promotions', VALID_BODY, { headers: { 'content-type': 'text/plain' } })
    expect(res.status).toBe(415)
  })
})

describe('GET /api/promotions, /:id', () => {
  it('lists newest first with the retired flag; reads one; 404 and 400 for bad ids', async () => {
    const { post, get } = setup()
    await post('/api/promotions', VALID_BODY)
    await post('/api/promotions', withField('params.period', 21))
    await post('/api/promotions/1/retire', {})
    const list = (await json(await get('/api/promotions'))).promotions as Json[]
    expect(list.map((p) => [p.id, p.retired])).toEqual([
      [2, false],
      [1, true],
    ])
    const one = await json(await get('/api/promotions/2'))
    expect(one).toEqual(list[0])
    expect((await get('/api/promotions/3')).status).toBe(404)
    for (const bad of ['abc', '0', '01', '1.5', '-1', '9999999999999999', '99999999999999999999']) {
      const e = (await json(await get(`/api/promotions/${bad}`))).error
      expect(e).toMatchObject({ code: 'invalid_parameter', field: 'id' })
    }
  })
})

describe('GET /api/promotions/:id/diff/:other', () => {
  it('lists the changed fields with before and after, sorted by path', async () => {
    const { post, get } = setup()
    await post('/api/promotions', VALID_BODY)
    const changed = withField('params.period', 21)
    ;(changed.exec as Record<string, unknown>).sizing = { kind: 'fraction', fractionRate: 0.5 }
    ;(changed.risk as Record<string, unknown>).maxDrawdownRate = 0.2
    await post('/api/promotions', changed)
    expect(await json(await get('/api/promotions/1/diff/2'))).toEqual({
      from: 1,
      to: 2,
      changes: [
        { path: 'exec.sizing.feeBufferRate', before: 0.0005 },
        { path: 'exec.sizing.fractionRate', after: 0.5 },
        { path: 'exec.sizing.kind', before: 'all-in', after: 'fraction' },
        { path: 'params.period', before: 14, after: 21 },
        { path: 'risk.maxDrawdownRate', before: 0.1, after: 0.2 },
      ],
    })
    expect(((await json(await get('/api/promotions/2/diff/1'))).changes as Json[])[3]).toEqual({
      path: 'params.period',
      before: 21,
      after: 14,
    })
    expect(await json(await get('/api/promotions/1/diff/1'))).toEqual({ from: 1, to: 1, changes: [] })
    expect((await get('/api/promotions/1/diff/9')).status).toBe(404)
    expect((await json(await get('/api/promotions/1/diff/x'))).error?.field).toBe('other')
  })
})

describe('POST /api/promotions/:id/retire', () => {
  it('retires once (idempotent), and an identical re-post shows it retired instead of a fresh copy', async () => {
    const { post, get, journal } = setup()
    await post('/api/promotions', VALID_BODY)
    const first = await json(await post('/api/promotions/1/retire', {}))
    expect(first).toMatchObject({ id: 1, retired: true, retiredAtMs: expect.any(Number) })
    const again = await post('/api/promotions/1/retire', {})
    expect(again.status).toBe(200)
    expect(await json(again)).toEqual(first)
    expect(await json(await get('/api/promotions/1'))).toEqual(first)
    const repost = await post('/api/promotions', VALID_BODY)
    expect(repost.status).toBe(200)
    expect(await json(repost)).toMatchObject({ id: 1, retired: true })
    // The flag is what a later start checks: the journal refuses a run of it.
    expect(() => journal.runs.createRun({ id: 'r1', promotionId: 1, venue: 'sim', mode: 'paper', market: 'KRW-BTC' }, NOW)).toThrow(
      /retired/,
    )
  })
  it('404 for an unknown id; the body must be {}', async () => {
    const { post } = setup()
    expect((await post('/api/promotions/7/retire', {})).status).toBe(404)
    await post('/api/promotions', VALID_BODY)
    expect((await json(await post('/api/promotions/1/retire', { reason: 'x' }))).error).toMatchObject({ field: 'reason' })
    expect((await json(await post('/api/promotions/1/retire', ''))).error?.code).toBe('invalid_json')
  })
})

describe('guards and methods', () => {
  it('every route needs the token (401), also with a valid body', async () => {
    const { app, post } = setup()
    expect((await post('/api/promotions', VALID_BODY, { token: null })).status).toBe(401)
    expect((await post('/api/promotions/1/retire', {}, { token: 'f'.repeat(64) })).status).toBe(401)
    for (const path of ['/api/promotions', '/api/promotions/1', '/api/promotions/1/diff/2'])
      expect((await request(app, path, { token: null })).status).toBe(401)
  })
  it('a foreign Origin cannot promote (CSRF)', async () => {
    const { post } = setup()
    expect((await post('/api/promotions', VALID_BODY, { headers: { origin: 'http://evil.example' } })).status).toBe(403)
    expect((await post('/api/promotions', VALID_BODY, { headers: { origin: ORIGIN } })).status).toBe(201)
  })
  it('no route changes or deletes a stored config: 405', async () => {
    const { app, post } = setup()
    await post('/api/promotions', VALID_BODY)
    for (const method of ['PUT', 'PATCH', 'DELETE']) {
      const res = await request(app, '/api/promotions/1', { method, headers: JSON_HEADERS, body: '{}' })
      expect(res.status).toBe(405)
      expect(res.headers.get('allow')).toBe('GET, HEAD')
    }
  })
  it('without a journal the routes are not there (404)', async () => {
    expect((await request(makeApp(), '/api/promotions')).status).toBe(404)
  })
})

describe('canary: promotions never carry keys', () => {
  it('bodies with secrets in unknown fields are refused, and the journal file holds none of them', async () => {
    const canary = `CANARY-${Math.random().toString(36).slice(2)}`
    const path = tempJournalPath()
    const journal = openJournal(path, { nowMs: () => NOW })
    const app = makeApp({ journal })
    const send = (body: unknown) => request(app, '/api/promotions', { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify(body) })
    for (const [field, body] of [
      ['apiKey', withField('apiKey', canary)],
      ['secretKey', withField('secretKey', canary)],
      ['exec.accessKey', withField('exec.accessKey', canary)],
      ['risk.upbitSecret', withField('risk.upbitSecret', canary)],
      ['backtest.range.token', withField('backtest.range.token', canary)],
    ] as const) {
      const res = await send(body)
      expect(res.status).toBe(400)
      const text = await res.text()
      expect(JSON.parse(text)).toMatchObject({ error: { field, message: `${field}: unknown field` } })
      expect(text).not.toContain(canary)
    }
    expect((await send(VALID_BODY)).status).toBe(201)
    const files = [path, `${path}-wal`].map((f) => readFileSync(f))
    journal.close()
    files.push(readFileSync(path))
    const forms = [canary, Buffer.from(canary).toString('base64'), Buffer.from(canary).toString('hex')]
    for (const bytes of files) for (const form of forms) expect(bytes.includes(form)).toBe(false)
    // The scan can see stored configs (positive control): the promotion itself is in the files.
    expect(files.some((bytes) => bytes.includes('"market":"KRW-BTC"'))).toBe(true)
  })
})
