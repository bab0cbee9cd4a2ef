import { describe, it, expect } from 'vitest'
import { checkKrwOrder, formatVolume, formatPrice, toPlainDecimal, decimalPlaces } from '../../../shared/upbit/order-rules.ts'

describe('decimal formatting', () => {
  it('never uses exponent notation', () => {
    expect(toPlainDecimal(1e-7)).toBe('0.0000001')
    expect(toPlainDecimal(1.5e-8)).toBe('0.000000015')
    expect(toPlainDecimal(1e21)).toBe('1000000000000000000000')
    expect(toPlainDecimal(-2.5e-7)).toBe('-0.00000025')
    expect(formatPrice(0.00000123)).toBe('0.00000123')
    expect(formatPrice(145_000_000)).toBe('145000000')
    expect(formatPrice(3.03)).toBe('3.03')
  })

  it('rounds volumes down to 8 decimals on the decimal digits', () => {
    expect(formatVolume(0.29)).toBe('0.29')
    expect(formatVolume(0.123456789)).toBe('0.12345678')
    expect(formatVolume(0.999999999)).toBe('0.99999999')
    expect(formatVolume(1e-9)).toBe('0')
    expect(formatVolume(3e-8)).toBe('0.00000003')
    expect(formatVolume(2)).toBe('2')
    expect(formatVolume(1.1)).toBe('1.1')
    expect(() => formatVolume(-1)).toThrow(RangeError)
    expect(() => formatPrice(0)).toThrow(RangeError)
  })

  it('counts decimals', () => {
    expect(decimalPlaces(0.12345678)).toBe(8)
    expect(decimalPlaces(1e-9)).toBe(9)
    expect(decimalPlaces(100)).toBe(0)
  })
})

describe('checkKrwOrder', () => {
  it('accepts the documented example order', () => {
    expect(checkKrwOrder({ ordType: 'limit', price: 145_000_000, volume: 0.001 })).toEqual([])
  })

  it('rejects off-tick prices (E6: 145,000,500)', () => {
    const v = checkKrwOrder({ ordType: 'limit', price: 145_000_500, volume: 0.001 })
    expect(v).toMatchObject([{ kind: 'off-tick', tick: 1000 }])
  })

  it('applies the 5,000 KRW minimum exactly at the boundary', () => {
    expect(checkKrwOrder({ ordType: 'limit', price: 145_000_000, volume: 0.00003 })).toMatchObject([{ kind: 'under-min-total' }])
    expect(checkKrwOrder({ ordType: 'limit', price: 5_000_000, volume: 0.001 })).toEqual([])
    expect(checkKrwOrder({ ordType: 'limit', price: 5_000_000, volume: 0.00099999 })).toMatchObject([{ kind: 'under-min-total' }])
    // 3.03 × 1650.16501651 = 5000.0000000253: a float product could go either way; exact says OK.
    expect(checkKrwOrder({ ordType: 'limit', price: 3.03, volume: 1650.16501651 })).toEqual([])
    expect(checkKrwOrder({ ordType: 'limit', price: 3.03, volume: 1650.165016 })).toMatchObject([{ kind: 'under-min-total' }])
  })

  it('applies the 1,000,000,000 KRW maximum', () => {
    expect(checkKrwOrder({ ordType: 'limit', price: 100_000_000, volume: 10 })).toEqual([])
    expect(checkKrwOrder({ ordType: 'limit', price: 100_000_000, volume: 10.00000001 })).toMatchObject([{ kind: 'over-max-total' }])
    expect(checkKrwOrder({ ordType: 'price', price: 1_000_000_001 })).toMatchObject([{ kind: 'over-max-total' }])
  })

  it('checks volume precision and required fields', () => {
    expect(checkKrwOrder({ ordType: 'limit', price: 145_000_000, volume: 0.123456789 })).toMatchObject([{ kind: 'volume-precision' }])
    expect(checkKrwOrder({ ordType: 'limit', volume: 1 })).toMatchObject([{ kind: 'missing-field', field: 'price' }])
    expect(checkKrwOrder({ ordType: 'market' })).toMatchObject([{ kind: 'missing-field', field: 'volume' }])
    expect(checkKrwOrder({ ordType: 'limit', price: Number.NaN, volume: 1 })).toMatchObject([{ kind: 'invalid-number', field: 'price' }])
  })

  it('checks market buys by total and market sells by reference price when given', () => {
    expect(checkKrwOrder({ ordType: 'price', price: 4_999 })).toMatchObject([{ kind: 'under-min-total' }])
    expect(checkKrwOrder({ ordType: 'price', price: 5_000 })).toEqual([])
    expect(checkKrwOrder({ ordType: 'market', volume: 0.00001 })).toEqual([])
    expect(checkKrwOrder({ ordType: 'market', volume: 0.00001, referencePrice: 145_000_000 })).toMatchObject([{ kind: 'under-min-total' }])
  })
})
