// The cell-kind contract. A kind is one folder, lab/notebook/cells/<kind>/, whose index.ts
// exports one CellKindEntry: the definition (parameter schema, defaults, how to run, which
// channels it reads and writes) and the Svelte component that renders its inputs and output.
// cells/registry.ts lists the kinds; nothing else in the notebook names a kind.
import type { Component } from 'svelte'
import type * as v from 'valibot'
import type { CandleSeries } from '../../../shared/candles/index.ts'
import type { SeriesKey, TimeRange } from '../../candles/index.ts'
import type { Channel } from '../model/freshness.ts'
import type { CellDoc, UiValue } from '../model/types.ts'
import type { LabServices } from '../services.ts'

/** What a data cell hands to the cells below it. */
export interface SeriesValue {
  readonly key: SeriesKey
  readonly fromMs: number
  readonly toMs: number
  readonly series: CandleSeries
  readonly covered: readonly TimeRange[]
}

export interface ChannelValues {
  readonly series: SeriesValue
}

export interface CellProgress {
  /** 0..1, or null when the amount of work is unknown. */
  readonly fraction: number | null
  readonly text: string
}

export interface RunContext<P> {
  /** The running cell (a kind with a worker keeps one lane per cell). */
  readonly cellId: string
  readonly params: P
  /** Values from the nearest producing cell above, per consumed channel (absent when none ran). */
  readonly inputs: Partial<ChannelValues>
  readonly signal: AbortSignal
  progress(p: CellProgress): void
  readonly services: LabServices
  /**
   * The cells above this one, nearest last, with their current outputs (undefined when they have
   * none): a code cell reads earlier results through them. Read only.
   */
  readonly above?: readonly CellAbove[]
}

/** A cell above the running one, as RunContext.above lists it. */
export interface CellAbove {
  readonly id: string
  readonly kind: string
  readonly title: string
  readonly output: unknown
  /** The kind's named tables and values of that output (CellKindDef.exports; computed on call). */
  exports(): CellExports | undefined
}

/** A column table: column name → values, all columns of one length. */
export type ColumnTable = Readonly<Record<string, ArrayLike<number | string | boolean | null>>>

/** What a cell's output offers to code cells below: tables (DataFrames there) and plain values. */
export interface CellExports {
  readonly tables?: Readonly<Record<string, ColumnTable>>
  readonly values?: Readonly<Record<string, unknown>>
}

export type RunStatus = 'idle' | 'running' | 'done' | 'error' | 'cancelled'

/** The runtime state of a cell, as its component sees it. */
export interface CellRunView<O> {
  readonly status: RunStatus
  readonly progress: CellProgress | null
  readonly output: O | undefined
  /** `storage`: a browser-storage failure's code ('quota', 'blocked', …), when it was one. */
  readonly error: { readonly message: string; readonly advice?: string; readonly storage?: string } | null
  /** Increments with every successful run. */
  readonly rev: number
}

export interface CellKindDef<P, O> {
  readonly kind: string
  readonly label: string
  /** One or two characters shown in the cell header. */
  readonly icon: string
  readonly params: v.GenericSchema<P>
  defaultParams(): P
  readonly consumes: readonly Channel[]
  readonly produces?: Channel
  /** Output follows the parameters as you type (notes): never stale, run just renders. */
  readonly live: boolean
  run(ctx: RunContext<P>): Promise<O>
  /** The value passed down the produced channel. */
  provide?(output: O): Partial<ChannelValues>
  /** Short text for a collapsed cell's header. */
  summary?(output: O): string
  /** Named tables and values of an output for code cells below (structured-cloneable). */
  exports?(output: O): CellExports
}

export interface CellBodyProps<P, O> {
  readonly cell: CellDoc<P>
  readonly run: CellRunView<O>
  readonly services: LabServices
  setParams(params: P): void
  /** Saves view settings of the output (a tab, a selection): kept across reloads, never stale. */
  setUi(patch: Readonly<Record<string, UiValue>>): void
  /** Runs the cell (the same as its run button). */
  requestRun(): void
  cancelRun(): void
  /**
   * Adds a cell of `kind` with `params` right below this one (an optimize cell's "open as
   * backtest"), titled and run when asked; returns the new cell's id (null: unknown kind).
   */
  addCellBelow?(kind: string, params: unknown, opts?: { readonly title?: string; readonly run?: boolean }): string | null
}

export interface CellKindEntry<P, O> {
  readonly def: CellKindDef<P, O>
  readonly Body: Component<CellBodyProps<P, O>>
}

/** A kind with its types erased, as the registry holds it. */
export type AnyCellKind = CellKindEntry<unknown, unknown>

/**
 * Erases a kind's parameter and output types for the registry. Sound because the notebook only
 * ever hands a kind the params its own schema validated and the output its own run produced.
 */
export function defineCellKind<P, O>(entry: CellKindEntry<P, O>): AnyCellKind {
  return entry as unknown as AnyCellKind
}
