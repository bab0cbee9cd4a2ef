// The notebook a first start opens: it explains the lab, downloads the sim venue's KRW-BTC
// 1-minute candles of the last two days, backtests the seed ensemble on them and says what the
// numbers mean.
import { defaultBacktestParams } from '../cells/backtest/params.ts'
import { defaultDataParams } from '../cells/data/index.ts'
import { newId } from './ids.ts'
import type { NotebookDoc } from './types.ts'

const INTRO = `# Welcome to the lab

A notebook is a list of **cells**; each one has inputs and, below them, its output. Cells read
from the cells above them: the data cell below downloads candles, and every cell further down
that needs candles uses them.

- **Shift+Enter** runs the selected cell and moves to the next one; **Ctrl+Enter** (⌘+Enter on a Mac) runs it in place.
- **a** / **b** add a cell above / below the selected one; **Esc** leaves a text field.
- A cell marked *stale* ran with inputs that have changed since: run it again.

The data cell uses the **sim** venue, edge's built-in simulated Upbit, so nothing here touches a real
exchange or real money.`

const AFTER = `## The data

The data cell's summary counts the **bars** (one candle per minute with trades), the **gaps** (minutes
without any trade: Upbit makes no candle for them, so a gap is normal data, not an error) and how
much of the range is **stored** in this browser. Candles are kept locally per venue, so simulated and
real data never mix, and a download that was cancelled or failed resumes where it stopped.

The backtest cell below runs the **seed ensemble** on these candles: six simple rules (trend,
momentum, swing, scalping, day, price action) vote +1 or −1 at every bar close; the weighted score
buys at +threshold or more and sells at −threshold or less. Run it once (or **Run all** at the
top); after that every change to a parameter re-runs it at once, in a background worker.`

const NUMBERS = `## What the numbers mean

- **Net return** is the final equity over the initial cash, fees included; **vs B&H** compares it
  with simply buying at the first close and holding to the last. A strategy that trails
  buy-and-hold is marked, whatever its sign.
- **Max drawdown** is the worst fall from a peak of the equity curve; **Sharpe** is the mean over
  the standard deviation of daily returns, annualised (two days of data make it noisy: treat it
  as a hint).
- **Trades**, **win rate**, **profit factor** (gross profit over gross loss), **exposure** (share
  of bars in a position) and **fees** describe how it got there. Hover a figure for its exact rule.
- The badge under the figures is the **look-ahead check**: the strategy is re-run on the candles
  cut after many bars, and each cut run must agree with the full run. A strategy that peeks at
  later bars looks far better in a backtest than it can ever trade.

Fills follow the engine's one fill model: by default a limit order at the close ± the
aggressiveness, filled on the next bar only if the price reaches it, with Upbit's fee, tick and
minimum-order rules. Click a trade to find it on
the chart; export the trades, the equity curve or the whole result from the buttons above the
chart. A good number on two days of simulated data proves nothing: widen the range and watch how
the figures move as you change the parameters.`

export function exampleNotebook(nowMs: number): NotebookDoc {
  return {
    id: newId(),
    title: 'Getting started: sim KRW-BTC',
    createdMs: nowMs,
    updatedMs: nowMs,
    cells: [
      { id: newId(), kind: 'note', title: '', collapsed: false, params: { source: INTRO } },
      { id: newId(), kind: 'data', title: 'KRW-BTC, 1 minute, last 2 days', collapsed: false, params: defaultDataParams() },
      { id: newId(), kind: 'note', title: '', collapsed: false, params: { source: AFTER } },
      { id: newId(), kind: 'backtest', title: 'Seed ensemble on the data above', collapsed: false, params: defaultBacktestParams() },
      { id: newId(), kind: 'note', title: '', collapsed: false, params: { source: NUMBERS } },
    ],
  }
}

export function blankNotebook(nowMs: number, title = 'Untitled notebook'): NotebookDoc {
  return {
    id: newId(),
    title,
    createdMs: nowMs,
    updatedMs: nowMs,
    cells: [{ id: newId(), kind: 'note', title: '', collapsed: false, params: { source: '' } }],
  }
}
