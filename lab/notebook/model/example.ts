// The notebook a first start opens: it explains the lab and downloads the sim venue's KRW-BTC
// 1-minute candles of the last two days. Written so it reads right before the backtest cell
// exists; that cell will be appended here when it lands.
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

const AFTER = `## What you are looking at

The data cell's summary counts the **bars** (one candle per minute with trades), the **gaps** (minutes
without any trade: Upbit makes no candle for them, so a gap is normal data, not an error) and how
much of the range is **stored** in this browser. Candles are kept locally per venue, so simulated and
real data never mix, and a download that was cancelled or failed resumes where it stopped.

Next: change the market or the range above and watch the cell turn *stale* until you run it again.
Backtest cells that run a strategy on these candles come next.`

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
