// The myOrder event parser: the sim's own messages parse, a trade carries its fill, and malformed
// messages (missing fill fields, bad numbers, wrong types) are errors, never exceptions.
import { describe, expect, it } from 'vitest'
import { parseMyOrder } from '../../../shared/upbit/my-order.ts'

const trade = {
  type: 'myOrder',
  code: 'KRW-BTC',
  uuid: 'u-1',
  ask_bid: 'BID',
  order_type: 'price',
  state: 'trade',
  trade_uuid: 't-1',
  price: 50_000_000,
  avg_price: 50_000_000,
  volume: 0.0002,
  executed_volume: 0.0002,
  executed_funds: 10_000,
  paid_fee: 5,
  trade_fee: 5,
  identifier: 'l1-abc-0',
  trade_timestamp: 1_700_000_000_123,
  timestamp: 1_700_000_000_130,
  stream_type: 'REALTIME',
}

describe('parseMyOrder', () => {
  it('reads a trade event with its fill', () => {
    const r = parseMyOrder(trade)
    expect(r).toEqual({
      ok: true,
      value: expect.objectContaining({
        market: 'KRW-BTC',
        uuid: 'u-1',
        identifier: 'l1-abc-0',
        side: 'bid',
        state: 'trade',
        trade: { uuid: 't-1', price: 50_000_000, volume: 0.0002, feeQuote: 5, timeMs: 1_700_000_000_123 },
      }),
    })
  })

  it('reads state events (no fill) and decimal strings', () => {
    const r = parseMyOrder({ ...trade, state: 'done', trade_uuid: null, trade_fee: null, price: '50000000.0', volume: '0.0002' })
    expect(r.ok && r.value.trade).toBeNull()
    expect(r.ok && r.value.state).toBe('done')
  })

  it.each([
    ['a trade without its uuid', { ...trade, trade_uuid: null }],
    ['a trade with volume 0', { ...trade, volume: 0 }],
    ['a negative fee', { ...trade, trade_fee: -1 }],
    ['an unknown state', { ...trade, state: 'exploded' }],
    ['a bad market code', { ...trade, code: 'btc' }],
    ['a string timestamp', { ...trade, timestamp: '1700000000130' }],
    ['Infinity as a string', { ...trade, price: 'Infinity' }],
    ['not an object', 'myOrder'],
    ['another type', { ...trade, type: 'myAsset' }],
  ])('refuses %s', (_name, msg) => {
    const r = parseMyOrder(msg)
    expect(r.ok).toBe(false)
    expect(!r.ok && r.error.kind).toBe('malformed')
  })
})
