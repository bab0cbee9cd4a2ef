// Parsers against the example bodies of upbit-api.md §9, plus malformed variants.
import { describe, it, expect } from 'vitest'
import {
  parseMarkets,
  parseCandles,
  parseTickers,
  parseOrderbooks,
  parseTradeTicks,
  parseAccounts,
  parseOrderChance,
  parseOrder,
  parseOrders,
  parseErrorBody,
} from '../../../shared/upbit/parse.ts'

const E2 = [
  {
    market: 'KRW-BTC',
    candle_date_time_utc: '2025-07-01T12:02:00',
    candle_date_time_kst: '2025-07-01T21:02:00',
    opening_price: 145812000,
    high_price: 145840000,
    low_price: 145790000,
    trade_price: 145831000,
    timestamp: 1751371379512,
    candle_acc_trade_price: 312554781.12,
    candle_acc_trade_volume: 2.14335012,
    unit: 1,
  },
  {
    market: 'KRW-BTC',
    candle_date_time_utc: '2025-07-01T12:01:00',
    candle_date_time_kst: '2025-07-01T21:01:00',
    opening_price: 145790000,
    high_price: 145815000,
    low_price: 145780000,
    trade_price: 145812000,
    timestamp: 1751371319877,
    candle_acc_trade_price: 98211450.5,
    candle_acc_trade_volume: 0.67362251,
    unit: 1,
  },
]

const E7 = {
  uuid: '0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0',
  side: 'bid',
  ord_type: 'limit',
  price: '145000000',
  state: 'wait',
  market: 'KRW-BTC',
  created_at: '2025-07-01T21:03:05+09:00',
  volume: '0.001',
  remaining_volume: '0.0004',
  reserved_fee: '72.5',
  remaining_fee: '29',
  paid_fee: '43.5',
  locked: '58029',
  executed_volume: '0.0006',
  prevented_volume: '0',
  prevented_locked: '0',
  trades_count: 1,
  identifier: 'bot-0001',
  trades: [
    {
      market: 'KRW-BTC',
      uuid: '7a6b5c4d-3e2f-4011-9223-344556677889',
      price: '145000000',
      volume: '0.0006',
      funds: '87000',
      trend: 'down',
      created_at: '2025-07-01T21:03:40.123456+09:00',
      side: 'bid',
    },
  ],
}

describe('quotation parsers', () => {
  it('parses the market list with and without details', () => {
    const r = parseMarkets([
      { market: 'KRW-BTC', korean_name: '비트코인', english_name: 'Bitcoin', market_event: { warning: true, caution: {} } },
      { market: 'KRW-ETH', korean_name: '이더리움', english_name: 'Ethereum' },
    ])
    expect(r).toEqual({
      ok: true,
      value: [
        { market: 'KRW-BTC', koreanName: '비트코인', englishName: 'Bitcoin', warning: true },
        { market: 'KRW-ETH', koreanName: '이더리움', englishName: 'Ethereum' },
      ],
    })
  })

  it('parses E2 candles: open time from candle_date_time_utc as UTC', () => {
    const r = parseCandles(E2)
    expect(r.ok).toBe(true)
    if (!r.ok) return
    expect(r.value[0]).toEqual({
      market: 'KRW-BTC',
      openTimeMs: Date.UTC(2025, 6, 1, 12, 2),
      open: 145812000,
      high: 145840000,
      low: 145790000,
      close: 145831000,
      volumeBase: 2.14335012,
      notionalQuote: 312554781.12,
      lastTradeMs: 1751371379512,
    })
    expect(r.value[1]!.openTimeMs).toBe(Date.UTC(2025, 6, 1, 12, 1))
  })

  it('rejects malformed candles with a typed error naming the field', () => {
    expect(parseCandles({})).toMatchObject({ ok: false, error: { kind: 'malformed' } })
    const bad = parseCandles([{ ...E2[0], high_price: '145840000' }])
    expect(bad).toMatchObject({ ok: false, error: { kind: 'malformed' } })
    if (!bad.ok) expect(bad.error.message).toContain('high_price')
    expect(parseCandles([{ ...E2[0], candle_date_time_utc: '2025-07-01 12:02' }]).ok).toBe(false)
    expect(parseCandles([{ ...E2[0], trade_price: null }]).ok).toBe(false)
  })

  it('parses ticker, orderbook and trade ticks', () => {
    const t = parseTickers([
      {
        market: 'KRW-BTC',
        trade_price: 145831000,
        opening_price: 147996000,
        high_price: 148480000,
        low_price: 145740000,
        prev_closing_price: 147996000,
        change: 'FALL',
        signed_change_rate: -0.0146287738,
        trade_volume: 0.00021,
        acc_trade_price_24h: 171022334512.9,
        acc_trade_volume_24h: 1170.0011221,
        trade_timestamp: 1751371379512,
        timestamp: 1751371379655,
        extra: 1,
      },
    ])
    expect(t).toMatchObject({ ok: true, value: [{ market: 'KRW-BTC', tradePrice: 145831000, change: 'FALL', timestampMs: 1751371379655 }] })
    expect(parseTickers([{ market: 'KRW-BTC', change: 'UP' }]).ok).toBe(false)
    const ob = parseOrderbooks([
      {
        market: 'KRW-BTC',
        timestamp: 1751371380101,
        total_ask_size: 0.41230011,
        total_bid_size: 0.90031245,
        orderbook_units: [{ ask_price: 145832000, bid_price: 145831000, ask_size: 0.13112, bid_size: 0.52100011 }],
        level: 0,
      },
    ])
    expect(ob).toMatchObject({
      ok: true,
      value: [{ units: [{ askPrice: 145832000, bidPrice: 145831000, askSize: 0.13112, bidSize: 0.52100011 }] }],
    })
    const tr = parseTradeTicks([
      {
        market: 'KRW-BTC',
        trade_date_utc: '2025-07-01',
        trade_time_utc: '12:02:59',
        timestamp: 1751371379512,
        trade_price: 145831000,
        trade_volume: 0.00021,
        prev_closing_price: 1,
        change_price: 1,
        ask_bid: 'BID',
        sequential_id: 17513713795120000,
      },
    ])
    expect(tr).toMatchObject({ ok: true, value: [{ askBid: 'BID', price: 145831000, sequentialId: 17513713795120000 }] })
  })
})

describe('exchange parsers', () => {
  it('parses E5 accounts (decimal strings → numbers)', () => {
    const r = parseAccounts([
      { currency: 'KRW', balance: '1000000.0', locked: '145072.5', avg_buy_price: '0', avg_buy_price_modified: true, unit_currency: 'KRW' },
      { currency: 'BTC', balance: '0.01', locked: '0.0', avg_buy_price: '140000000', avg_buy_price_modified: false, unit_currency: 'KRW' },
    ])
    expect(r).toEqual({
      ok: true,
      value: [
        { currency: 'KRW', balance: 1000000, locked: 145072.5, avgBuyPrice: 0, avgBuyPriceModified: true, unitCurrency: 'KRW' },
        { currency: 'BTC', balance: 0.01, locked: 0, avgBuyPrice: 140000000, avgBuyPriceModified: false, unitCurrency: 'KRW' },
      ],
    })
    expect(
      parseAccounts([
        { currency: 'KRW', balance: '1e5', locked: '0', avg_buy_price: '0', avg_buy_price_modified: true, unit_currency: 'KRW' },
      ]).ok,
    ).toBe(false)
    expect(
      parseAccounts([{ currency: 'KRW', balance: '', locked: '0', avg_buy_price: '0', avg_buy_price_modified: true, unit_currency: 'KRW' }])
        .ok,
    ).toBe(false)
  })

  it('parses E7 order with trades, times with offsets', () => {
    const r = parseOrder(E7)
    expect(r.ok).toBe(true)
    if (!r.ok) return
    expect(r.value).toMatchObject({
      uuid: E7.uuid,
      identifier: 'bot-0001',
      side: 'bid',
      ordType: 'limit',
      price: 145000000,
      state: 'wait',
      volume: 0.001,
      remainingVolume: 0.0004,
      executedVolume: 0.0006,
      paidFee: 43.5,
      locked: 58029,
      tradesCount: 1,
    })
    expect(r.value.createdAtMs).toBe(Date.UTC(2025, 6, 1, 12, 3, 5))
    expect(r.value.trades).toEqual([
      {
        uuid: '7a6b5c4d-3e2f-4011-9223-344556677889',
        market: 'KRW-BTC',
        price: 145000000,
        volume: 0.0006,
        funds: 87000,
        side: 'bid',
        createdAtMs: Date.UTC(2025, 6, 1, 12, 3, 40, 123),
      },
    ])
  })

  it('parses order lists without trades and market orders without price/volume', () => {
    const { trades: _t, ...noTrades } = E7
    const marketSell = { ...noTrades, ord_type: 'market', side: 'ask', price: null, identifier: undefined }
    const r = parseOrders([noTrades, marketSell])
    expect(r.ok).toBe(true)
    if (r.ok) {
      expect(r.value[0]!.trades).toEqual([])
      expect(r.value[1]!.price).toBeUndefined()
      expect(r.value[1]!.identifier).toBeUndefined()
    }
    expect(parseOrder({ ...E7, state: 'weird' }).ok).toBe(false)
    expect(parseOrder({ ...E7, created_at: 'yesterday' }).ok).toBe(false)
    expect(parseOrder('<html>').ok).toBe(false)
  })

  it('parses order chance as an object or an array wrapper', () => {
    const acc = { currency: 'KRW', balance: '1000', locked: '0', avg_buy_price: '0', avg_buy_price_modified: false, unit_currency: 'KRW' }
    const chance = {
      bid_fee: '0.0005',
      ask_fee: '0.0005',
      maker_bid_fee: '0.0005',
      maker_ask_fee: '0.0005',
      market: {
        id: 'KRW-BTC',
        name: 'BTC/KRW',
        bid: { currency: 'KRW', min_total: '5000' },
        ask: { currency: 'BTC', min_total: '5000' },
        max_total: '1000000000',
        state: 'active',
        bid_types: ['limit', 'price'],
        ask_types: ['limit', 'market'],
      },
      bid_account: acc,
      ask_account: { ...acc, currency: 'BTC' },
    }
    const a = parseOrderChance(chance)
    expect(a).toMatchObject({
      ok: true,
      value: {
        bidFeeRate: 0.0005,
        market: { id: 'KRW-BTC', bidMinTotal: 5000, maxTotal: 1e9, askTypes: ['limit', 'market'] },
        askAccount: { currency: 'BTC' },
      },
    })
    expect(parseOrderChance([chance])).toEqual(a)
    expect(parseOrderChance({ ...chance, bid_fee: 'x' }).ok).toBe(false)
  })

  it('parses error bodies with string or numeric names', () => {
    expect(parseErrorBody({ error: { name: 'order_not_found', message: '주문을 찾지 못했습니다.' } })).toEqual({
      ok: true,
      value: { name: 'order_not_found', message: '주문을 찾지 못했습니다.' },
    })
    expect(parseErrorBody({ error: { name: 404, message: 'Code not found' } })).toEqual({
      ok: true,
      value: { name: '404', message: 'Code not found' },
    })
    expect(parseErrorBody('Too many API requests.').ok).toBe(false)
  })
})
