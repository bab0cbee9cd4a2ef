// What the page and a code cell's worker say to each other, and what a cell's output shows.
// Everything here is structured-cloneable: typed arrays, plain objects, no functions.

/** A table cell as it travels: Dates become ISO strings, other objects text. */
export type TableValue = string | number | boolean | null

export type DisplayItem =
  | { readonly kind: 'text'; readonly text: string; readonly stream?: 'log' | 'warn' | 'error' }
  | {
      readonly kind: 'table'
      readonly title: string | null
      readonly columns: readonly string[]
      /** The first rows (at most MAX_TABLE_ROWS). */
      readonly rows: readonly (readonly TableValue[])[]
      readonly totalRows: number
      /** Row labels (a DataFrame's index) when they are not 0, 1, 2, … */
      readonly index: readonly (string | number)[] | null
    }
  | {
      readonly kind: 'figure'
      readonly title: string | null
      readonly data: readonly unknown[]
      readonly layout: Readonly<Record<string, unknown>>
    }

export const MAX_TABLE_ROWS = 500
export const MAX_DISPLAYS = 100

/** Column tables of earlier cells and the candles, as sent to the worker. */
export type ColumnsIn = Readonly<Record<string, ArrayLike<number | string | boolean | null>>>

export interface CellIn {
  /** The name code reads it by: its title, or `<kind><n>` (backtest1, …) when it has none. */
  readonly name: string
  /** `<kind><n>`: always there too, so code keeps working when a title changes. */
  readonly alias: string
  readonly kind: string
  readonly title: string
  readonly tables: Readonly<Record<string, ColumnsIn>>
  readonly values: Readonly<Record<string, unknown>>
}

export interface CodeInputs {
  /** The nearest data cell's candles (time, open, high, low, close, volume), or null. */
  readonly candles: { readonly market: string; readonly timeframe: string; readonly venue: string; readonly columns: ColumnsIn } | null
  readonly cells: readonly CellIn[]
}

export type PageMessage = { readonly type: 'run'; readonly inputs: CodeInputs }

export type WorkerMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'phase'; readonly phase: 'loading' | 'running' }
  | { readonly type: 'display'; readonly item: DisplayItem }
  | { readonly type: 'done'; readonly loadMs: number; readonly runMs: number }
  | {
      readonly type: 'error'
      readonly name: string
      readonly message: string
      /** 1-based line and column in the user's code, when the error says where. */
      readonly line: number | null
      readonly column: number | null
    }

/** Lines the generated worker module puts before the user's first line (worker-source.ts). */
export const PRELUDE_LINES = 2
