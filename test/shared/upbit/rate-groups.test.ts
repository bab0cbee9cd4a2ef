import { describe, it, expect } from 'vitest'
import { parseRemainingReq, rateGroupOf } from '../../../shared/upbit/rate-groups.ts'

describe('parseRemainingReq', () => {
  it('parses documented and observed headers', () => {
    expect(parseRemainingReq('group=default; min=1800; sec=29')).toEqual({ group: 'default', sec: 29, min: 1800 })
    expect(parseRemainingReq('group=candles; min=600; sec=9')).toEqual({ group: 'candle', sec: 9, min: 600 })
    expect(parseRemainingReq('group=order-cancel-all; sec=0')).toEqual({ group: 'order-cancel-all', sec: 0 })
    expect(parseRemainingReq('sec=3;group=market')).toEqual({ group: 'market', sec: 3 })
  })

  it('returns undefined for missing or unusable headers', () => {
    expect(parseRemainingReq(null)).toBeUndefined()
    expect(parseRemainingReq('')).toBeUndefined()
    expect(parseRemainingReq('group=default; min=1800')).toBeUndefined()
    expect(parseRemainingReq('group=default; sec=-1')).toBeUndefined()
    expect(parseRemainingReq('garbage')).toBeUndefined()
  })
})

describe('rateGroupOf', () => {
  it('maps endpoints to Upbit groups', () => {
    expect(rateGroupOf('GET', '/v1/market/all')).toBe('market')
    expect(rateGroupOf('GET', '/v1/candles/minutes/1')).toBe('candle')
    expect(rateGroupOf('GET', '/v1/candles/days')).toBe('candle')
    expect(rateGroupOf('GET', '/v1/trades/ticks')).toBe('trade')
    expect(rateGroupOf('GET', '/v1/ticker')).toBe('ticker')
    expect(rateGroupOf('GET', '/v1/ticker/all')).toBe('ticker')
    expect(rateGroupOf('GET', '/v1/orderbook')).toBe('orderbook')
    expect(rateGroupOf('POST', '/v1/orders')).toBe('order')
    expect(rateGroupOf('POST', '/v1/orders/test')).toBe('order-test')
    expect(rateGroupOf('DELETE', '/v1/orders/open')).toBe('order-cancel-all')
    expect(rateGroupOf('GET', '/v1/orders/open')).toBe('default')
    expect(rateGroupOf('DELETE', '/v1/order')).toBe('default')
    expect(rateGroupOf('GET', '/v1/accounts')).toBe('default')
  })
})
