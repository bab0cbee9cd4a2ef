// A data cell's drafts (what its boxes hold while typed in): only complete, valid values are saved.
import { describe, expect, it } from 'vitest'
import { dateOf, daysOf, marketOf } from '../../../../../lab/notebook/cells/data/params.ts'

describe('data cell drafts', () => {
  it('market codes, upper-cased and trimmed', () => {
    expect(marketOf(' krw-btc ')).toBe('KRW-BTC')
    expect(marketOf('KRW-B')).toBe('KRW-B')
    for (const d of ['', 'K', 'KRW', 'KRW-', 'KRW BTC', 'KRW-BTC!']) expect(marketOf(d)).toBeNull()
  })

  it('whole days from 1 to 3650 exactly as typed', () => {
    expect(daysOf('1')).toBe(1)
    expect(daysOf(' 30 ')).toBe(30)
    expect(daysOf('3650')).toBe(3650)
    for (const d of ['', '0', '05', '1.5', '-2', '3651', '1e3', 'x']) expect(daysOf(d)).toBeNull()
  })

  it('dates that exist, from 1970 on', () => {
    expect(dateOf('2024-07-01')).toBe('2024-07-01')
    expect(dateOf('2024-02-29')).toBe('2024-02-29')
    for (const d of ['', '2024-7-1', '2023-02-29', '2024-13-01', '0002-07-01', '0202-07-01', '1969-12-31', '2024-07-01T00:00']) {
      expect(dateOf(d)).toBeNull()
    }
  })
})
