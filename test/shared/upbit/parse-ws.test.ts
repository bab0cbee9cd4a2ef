import { describe, it, expect } from 'vitest'
import { parseWsMessage } from '../../../shared/upbit/parse-ws.ts'

describe('parseWsMessage', () => {
  it('parses a myOrder fill (JSON numbers) with its trade id', () => {
    const r = parseWsMessage({
      type: 'myOrder',
      code: 'KRW-BTC',
      uuid: 'o-1',
      ask_bid: 'BID',
      order_type: 'limit',
      state: 'trade',
      trade_uuid: 't-1',
      price: 145000000,
      avg_price: 145000000,
      volume: 0.0006,
      remaining_volume: 0.0004,
      executed_volume: 0.0006,
      trades_count: 1,
      reserved_fee: 72.5,
      remaining_fee: 29,
      paid_fee: 43.5,
      locked: 58029,
      executed_funds: 87000,
      time_in_force: null,
      trade_fee: 43.5,
      is_maker: true,
      identifier: 'bot-0001',
      trade_timestamp: 1751371420123,
      order_timestamp: 1751371385000,
      timestamp: 1751371420200,
      stream_type: 'REALTIME',
    })
    expect(r).toEqual({
      ok: true,
      value: {
        kind: 'myOrder',
        market: 'KRW-BTC',
        uuid: 'o-1',
        identifier: 'bot-0001',
        side: 'bid',
        orderType: 'limit',
        state: 'trade',
        tradeUuid: 't-1',
        price: 145000000,
        volume: 0.0006,
        remainingVolume: 0.0004,
        executedVolume: 0.0006,
        paidFee: 43.5,
        tradeFee: 43.5,
        isMaker: true,
        tradeTimeMs: 1751371420123,
        timestampMs: 1751371420200,
      },
    })
  })

  it('parses myAsset, trade, ticker and candle messages', () => {
    expect(
      parseWsMessage({
        type: 'myAsset',
        asset_uuid: 'a',
        assets: [{ currency: 'KRW', balance: 1000, locked: 5 }],
        asset_timestamp: 1,
        timestamp: 2,
        stream_type: 'REALTIME',
      }),
    ).toEqual({
      ok: true,
      value: { kind: 'myAsset', assets: [{ currency: 'KRW', balance: 1000, locked: 5 }], timestampMs: 2 },
    })
    expect(
      parseWsMessage({
        type: 'trade',
        code: 'KRW-BTC',
        trade_price: 100,
        trade_volume: 0.5,
        ask_bid: 'ASK',
        trade_timestamp: 10,
        sequential_id: 99,
        stream_type: 'REALTIME',
      }),
    ).toMatchObject({
      ok: true,
      value: { kind: 'trade', price: 100, askBid: 'ASK', sequentialId: 99 },
    })
    expect(parseWsMessage({ type: 'ticker', code: 'KRW-BTC', trade_price: 100, trade_timestamp: 10, timestamp: 11 })).toMatchObject({
      ok: true,
      value: { kind: 'ticker', tradePrice: 100 },
    })
    expect(
      parseWsMessage({
        type: 'candle.1m',
        code: 'KRW-BTC',
        candle_date_time_utc: '2025-07-01T12:02:00',
        opening_price: 1,
        high_price: 2,
        low_price: 0.5,
        trade_price: 1.5,
        candle_acc_trade_volume: 3,
        candle_acc_trade_price: 4,
        timestamp: 5,
      }),
    ).toEqual({
      ok: true,
      value: {
        kind: 'candle',
        unit: '1m',
        market: 'KRW-BTC',
        openTimeMs: Date.UTC(2025, 6, 1, 12, 2),
        open: 1,
        high: 2,
        low: 0.5,
        close: 1.5,
        volumeBase: 3,
        timestampMs: 5,
      },
    })
  })

  it('returns malformed for unknown types and bad fields', () => {
    expect(parseWsMessage({ type: 'orderbook' })).toMatchObject({ ok: false, error: { kind: 'malformed' } })
    expect(parseWsMessage(null)).toMatchObject({ ok: false, error: { kind: 'malformed' } })
    const bad = parseWsMessage({
      type: 'myOrder',
      code: 'KRW-BTC',
      uuid: 'o',
      ask_bid: 'BID',
      order_type: 'limit',
      state: 'wait',
      price: '1',
      volume: 1,
      remaining_volume: 1,
      executed_volume: 0,
      paid_fee: 0,
      timestamp: 1,
    })
    expect(bad.ok).toBe(false)
    if (!bad.ok) expect(bad.error.message).toContain('price')
  })
})
