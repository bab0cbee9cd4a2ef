// Balances of the sim account: free (`balance`) and `locked` per currency plus the average buy
// price, as Upbit's /v1/accounts shows them. Amounts are rounded to 8 decimals on every change so
// float noise never shows up as "0.00000000001" in responses.
export interface Holding {
  free: number
  locked: number
  avgBuyPrice: number
}

const r8 = (x: number): number => Math.round(x * 1e8) / 1e8

export class Ledger {
  private readonly holdings = new Map<string, Holding>()

  constructor(initial: Readonly<Record<string, number>>) {
    for (const [cur, amount] of Object.entries(initial)) this.holdings.set(cur, { free: amount, locked: 0, avgBuyPrice: 0 })
    if (!this.holdings.has('KRW')) this.holdings.set('KRW', { free: 0, locked: 0, avgBuyPrice: 0 })
  }

  get(cur: string): Holding {
    let h = this.holdings.get(cur)
    if (!h) {
      h = { free: 0, locked: 0, avgBuyPrice: 0 }
      this.holdings.set(cur, h)
    }
    return h
  }

  entries(): Array<[string, Holding]> {
    return [...this.holdings.entries()]
  }

  lock(cur: string, amount: number): void {
    const h = this.get(cur)
    h.free = r8(h.free - amount)
    h.locked = r8(h.locked + amount)
  }

  /** Moves `amount` from locked back to free. */
  unlock(cur: string, amount: number): void {
    const h = this.get(cur)
    h.locked = r8(h.locked - amount)
    h.free = r8(h.free + amount)
  }

  /** Removes `amount` from locked (spent). */
  spendLocked(cur: string, amount: number): void {
    const h = this.get(cur)
    h.locked = r8(h.locked - amount)
  }

  credit(cur: string, amount: number): void {
    const h = this.get(cur)
    h.free = r8(h.free + amount)
  }

  /** Adds bought base at `price` to the average buy price (fees excluded, as Upbit shows it). */
  addBuy(cur: string, volume: number, price: number): void {
    const h = this.get(cur)
    const held = h.free + h.locked
    h.avgBuyPrice = held + volume > 0 ? (h.avgBuyPrice * held + price * volume) / (held + volume) : 0
    h.free = r8(h.free + volume)
  }
}
