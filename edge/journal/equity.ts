// Equity points: one per run and closed bar, marked at the bar's close. Keyed by (run, bar time),
// so a bar replayed after a restart does not add a second point.
import type Database from 'better-sqlite3'

export interface EquityPoint {
  readonly runId: string
  /** Open time of the bar whose close marked it. */
  readonly timeMs: number
  readonly equityQuote: number
  readonly cashQuote: number
  readonly positionBase: number
}

export interface EquityRepo {
  /** True when the point is new; false when the run already has one for this bar (nothing changes). */
  addPoint(p: EquityPoint): boolean
  /** The run's newest point. */
  lastPoint(runId: string): EquityPoint | undefined
  /** The run's points in time order. */
  pointsOf(runId: string): EquityPoint[]
}

const COLUMNS = 'run_id AS runId, time_ms AS timeMs, equity_quote AS equityQuote, cash_quote AS cashQuote, position_base AS positionBase'

export function equityRepo(db: Database.Database): EquityRepo {
  const insert = db.prepare(
    `INSERT INTO equity_points (run_id, time_ms, equity_quote, cash_quote, position_base)
     VALUES (@runId, @timeMs, @equityQuote, @cashQuote, @positionBase) ON CONFLICT (run_id, time_ms) DO NOTHING`,
  )
  const last = db.prepare<[string], EquityPoint>(`SELECT ${COLUMNS} FROM equity_points WHERE run_id = ? ORDER BY time_ms DESC LIMIT 1`)
  const all = db.prepare<[string], EquityPoint>(`SELECT ${COLUMNS} FROM equity_points WHERE run_id = ? ORDER BY time_ms`)
  return {
    addPoint: (p) => insert.run(p).changes === 1,
    lastPoint: (runId) => last.get(runId),
    pointsOf: (runId) => all.all(runId),
  }
}
