// Running a live cell = following its run: one RunFollower per cell (kept across runs of the cell
// while it follows the same run, so the stream is not restarted), attached to the run's view,
// journal activity and event stream. Without a run yet the output says so; starting one is the
// Start button's job (LiveCell.svelte), never a side effect of running the cell.
import { syncRange } from '../../../candles/index.ts'
import { isTimeframe } from '../../../../shared/candles/index.ts'
import { getToken } from '../../../api/token.ts'
import { EdgeStream } from '../../../stream/edge-stream.svelte.ts'
import type { LabServices } from '../../services.ts'
import type { RunContext } from '../types.ts'
import { edgeLiveApi, type LiveApi } from './api.ts'
import { localSeqMemo, RunFollower, type FollowerDeps } from './follower.svelte.ts'
import type { LiveParams } from './params.ts'
import { workerUserSignals } from './user-signals.ts'

export interface LiveOutput {
  readonly follower: RunFollower | null
}

/** The live cells' followers, by cell. */
const followers = new Map<string, RunFollower>()

export function followerDeps(services: LabServices, api: LiveApi = edgeLiveApi): FollowerDeps {
  return {
    api,
    stream: (fromSeq) => new EdgeStream({ token: () => getToken(), fromSeq }),
    candles: async (key, fromMs, toMs, signal) => {
      if (!isTimeframe(key.timeframe)) throw new Error(`unknown timeframe ${key.timeframe}`)
      const store = await services.candleStore()
      const r = await syncRange(
        store,
        services.candleStream,
        { venue: key.venue, market: key.market, timeframe: key.timeframe },
        [fromMs, toMs],
        {
          signal,
        },
      )
      return r.series
    },
    seqMemo: localSeqMemo(),
    // One sandbox worker per followed run, started only when its promotion is a user strategy.
    userSignals: workerUserSignals(),
    now: () => services.now(),
  }
}

/** The cell's follower of `runId` (a new one when it followed another run or none). */
export function followerFor(cellId: string, runId: string, make: () => FollowerDeps): RunFollower {
  const had = followers.get(cellId)
  if (had !== undefined && had.runId === runId) return had
  had?.dispose()
  const f = new RunFollower(runId, make())
  followers.set(cellId, f)
  return f
}

/** Stops following (the cell no longer has a run). */
export function releaseFollower(cellId: string): void {
  followers.get(cellId)?.dispose()
  followers.delete(cellId)
}

export async function runLiveCell(ctx: RunContext<LiveParams>): Promise<LiveOutput> {
  const { runId } = ctx.params
  if (runId === null) {
    releaseFollower(ctx.cellId)
    return { follower: null }
  }
  const f = followerFor(ctx.cellId, runId, () => followerDeps(ctx.services))
  await f.attach()
  ctx.signal.throwIfAborted()
  return { follower: f }
}
