// Crash trials (issue 8, reliability §10.2–10.4): a live run on a standalone simulated venue (its
// own process, so its order log outlives edge), with edge killed by SIGKILL at random times and at
// named points (EDGE_CRASH_AT: after-intent, after-send, after-fill), restarted on the same
// DATA_DIR each time, then stopped. The venue's own books (read over its Upbit API) are checked
// against edge's journal:
//   - every venue order of the run has a journal row (intent before send), at most one per id;
//   - every trade of an ended venue order is journaled exactly once, and nothing else is;
//   - the position by the journal's fills equals the venue's balance;
//   - after the last restart the run is running (reconciled) or halted with a reason;
//   - the journal passes PRAGMA integrity_check.
// `npm run test:crash` runs ≥ 20 trials and prints the figures; npm test runs a few (crash.test.ts).
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { createUpbitClient, type UpbitClient } from '../../edge/upbit/index.ts'
import type { UpbitOrder } from '../../shared/upbit/types.ts'
import { PROMOTION_1M } from '../edge/runner/fixtures.ts'

const ROOT = join(import.meta.dirname, '..', '..')
const AK = 'crash-ak-0123456789'
const SK = 'crash-sk-0123456789abcdef0123456789abcdef'
const SPEED = 120

export interface TrialPlan {
  readonly seed: number
  /** Kills of this trial: a named crash point with its count, or a random delay (ms of wall time). */
  readonly kills: ReadonlyArray<{ readonly point: string; readonly nth: number } | { readonly afterMs: number }>
}

export interface TrialResult {
  readonly seed: number
  readonly kills: number
  /** Armed crash points that edge reached (it killed itself there) within the wait. */
  readonly pointHits: number
  readonly venueOrders: number
  readonly journalFills: number
  readonly duplicateOrders: number
  readonly lostFills: number
  readonly unknownFills: number
  readonly ordersWithoutIntent: number
  readonly positionMismatch: number
  readonly finalStatus: string
  readonly integrity: string
  readonly problems: readonly string[]
}

interface Proc {
  readonly child: ChildProcess
  readonly out: string[]
  readonly exited: Promise<number | null>
}

function launch(args: string[], env: Record<string, string>): Proc {
  // node itself with tsx as a loader: one process, so SIGKILL kills edge (the tsx launcher would
  // leave its child running).
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const out: string[] = []
  child.stdout!.on('data', (d: Buffer) => out.push(d.toString()))
  child.stderr!.on('data', (d: Buffer) => out.push(d.toString()))
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  return { child, out, exited }
}

async function waitFor<T>(f: () => T | undefined | Promise<T | undefined>, ms: number, what: string): Promise<T> {
  const end = Date.now() + ms
  for (;;) {
    const v = await f()
    if (v !== undefined) return v
    if (Date.now() > end) throw new Error(`timed out: ${what}`)
    await new Promise((r) => setTimeout(r, 25))
  }
}

const matchOut = (p: Proc, re: RegExp): RegExpExecArray | undefined => re.exec(p.out.join('')) ?? undefined

async function startSim(origin: string): Promise<{ proc: Proc; url: string }> {
  const proc = launch(
    [
      'edge/sim/main.ts',
      '--port',
      '0',
      '--access-key',
      AK,
      '--secret-key',
      SK,
      '--history-days',
      '1',
      '--clock-speed',
      String(SPEED),
      '--clock-origin',
      origin,
      '--markets',
      'KRW-BTC',
    ],
    {},
  )
  const m = await waitFor(() => matchOut(proc, /listening on (http:\/\/[^\s]+)/), 30_000, 'sim to listen')
  return { proc, url: m[1]! }
}

async function startEdgeProc(env: Record<string, string>): Promise<{ proc: Proc; origin: string }> {
  const proc = launch(['edge/main.ts'], env)
  const m = await Promise.race([
    waitFor(() => matchOut(proc, /edge listening on (http:\/\/[^\s]+)/), 30_000, 'edge to listen'),
    proc.exited.then((code) => {
      throw new Error(`edge exited (${code}) before listening:\n${proc.out.join('')}`)
    }),
  ])
  return { proc, origin: m[1]! }
}

function killHard(p: Proc): Promise<number | null> {
  if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL')
  return p.exited
}

/** Every order of the account, with trades (GET /v1/order lists them). */
async function venueOrders(client: UpbitClient, fromMs: number): Promise<UpbitOrder[]> {
  const all = new Map<string, UpbitOrder>()
  for (const list of [
    await client.listOpenOrders({ market: 'KRW-BTC', limit: 100 }),
    await client.listClosedOrders({ market: 'KRW-BTC', limit: 1000, startTimeMs: fromMs }),
  ]) {
    if (!list.ok) throw new Error(`venue orders: ${list.error.message}`)
    for (const o of list.value) all.set(o.uuid, o)
  }
  const out: UpbitOrder[] = []
  for (const uuid of all.keys()) {
    const r = await client.getOrder({ uuid })
    if (!r.ok) throw new Error(`venue order ${uuid}: ${r.error.message}`)
    out.push(r.value)
  }
  return out
}

export async function runTrial(plan: TrialPlan, log: (m: string) => void = () => {}): Promise<TrialResult> {
  const dir = mkdtempSync(join(tmpdir(), 'edge-crash-'))
  const staticRoot = join(dir, 'static')
  const dataDir = join(dir, 'data')
  rmSync(staticRoot, { recursive: true, force: true })
  await import('node:fs').then((fs) => fs.mkdirSync(staticRoot, { recursive: true }))
  writeFileSync(join(staticRoot, 'index.html'), '<!doctype html><title>crash trial</title>')
  const venue0 = Date.now()
  const clockOrigin = `${venue0}@${venue0}`
  const sim = await startSim(clockOrigin)
  const problems: string[] = []
  let edge: { proc: Proc; origin: string } | undefined
  let port = '0'
  let pointHits = 0
  try {
    const env = (extra: Record<string, string> = {}): Record<string, string> => ({
      DATA_DIR: dataDir,
      EDGE_STATIC_ROOT: staticRoot,
      EDGE_ENV_FILE: join(dir, 'no.env'),
      PORT: port,
      UPBIT_BASE_URL: sim.url,
      UPBIT_ACCESS_KEY: AK,
      UPBIT_SECRET_KEY: SK,
      UPBIT_CLOCK: `${clockOrigin}x${SPEED}`,
      SIM_HISTORY_DAYS: '0',
      ...extra,
    })
    edge = await startEdgeProc(env())
    port = new URL(edge.origin).port
    const token = readFileSync(join(dataDir, 'edge-token'), 'utf8').trim()
    const api = (path: string, body?: unknown) =>
      fetch(`${edge!.origin}${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      })
    // RSI(2) around 50 flips nearly every bar: an order every bar or two, so kills land among them.
    const promotion = { ...PROMOTION_1M, params: { period: 2, oversold: 49, overbought: 51 } }
    const promo = (await (await api('/api/promotions', promotion)).json()) as { id: number }
    const started = await api('/api/runs', { promotionId: promo.id, venue: 'upbit', mode: 'live', confirm: 'KRW-BTC' })
    if (started.status !== 201) throw new Error(`start live run: ${started.status} ${await started.text()}`)
    const runId = ((await started.json()) as { id: string }).id
    log(`trial ${plan.seed}: run ${runId}`)

    for (const k of plan.kills) {
      if ('afterMs' in k) {
        await new Promise((r) => setTimeout(r, k.afterMs))
        await killHard(edge.proc)
      } else {
        // Restart with the crash point armed: edge kills itself there (possibly while it is
        // still reconciling at start, before it listens).
        await killHard(edge.proc)
        const armed = launch(['edge/main.ts'], env({ EDGE_CRASH_AT: `${k.point}:${k.nth}` }))
        const hit = await Promise.race([armed.exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 15_000))])
        if (hit) pointHits++
        log(`  crash point ${k.point}:${k.nth} ${hit ? 'reached' : 'not reached in 15 s'}`)
        await killHard(armed)
      }
      edge = await startEdgeProc(env())
    }
    // The last life: let it trade a little, then stop the run (cancels at the venue) and edge.
    await new Promise((r) => setTimeout(r, 5_000))
    const view = (await (await api(`/api/runs/${runId}`)).json()) as { status: string; haltReason: string | null }
    const finalStatus = view.status === 'halted' ? `halted: ${view.haltReason}` : view.status
    if (view.status !== 'running' && view.status !== 'halted' && view.status !== 'starting') problems.push(`final status ${view.status}`)
    await api(`/api/runs/${runId}/stop`, {})
    edge.proc.child.kill('SIGTERM')
    await edge.proc.exited

    // Compare.
    const client = createUpbitClient({ baseUrl: sim.url, accessKey: AK, secretKey: SK })
    const orders = (await venueOrders(client, venue0 - 60_000)).filter((o) => o.identifier?.startsWith(`${runId}-`))
    const db = new Database(join(dataDir, 'journal.sqlite'), { readonly: true })
    const integrity = String(db.pragma('integrity_check', { simple: true }))
    const rows = new Map(
      (db.prepare('SELECT id, venue_uuid FROM orders WHERE run_id = ?').all(runId) as Array<{ id: string; venue_uuid: string | null }>).map(
        (r) => [r.id, r],
      ),
    )
    const fills = db.prepare('SELECT trade_uuid, side, volume FROM fills WHERE run_id = ?').all(runId) as Array<{
      trade_uuid: string
      side: string
      volume: number
    }>
    db.close()
    const ids = orders.map((o) => o.identifier!)
    const duplicateOrders = ids.length - new Set(ids).size
    const ordersWithoutIntent = ids.filter((id) => !rows.has(id)).length
    const fillIds = new Set(fills.map((f) => f.trade_uuid))
    let lostFills = 0
    const venueTrades = new Set<string>()
    for (const o of orders) {
      for (const t of o.trades) {
        venueTrades.add(t.uuid)
        if ((o.state === 'done' || o.state === 'cancel') && !fillIds.has(t.uuid)) lostFills++
      }
    }
    const unknownFills = fills.filter((f) => !venueTrades.has(f.trade_uuid)).length
    const journalBase = fills.reduce((a, f) => a + (f.side === 'buy' ? f.volume : -f.volume), 0)
    const acc = await client.getAccounts()
    if (!acc.ok) throw new Error(`accounts: ${acc.error.message}`)
    const venueBase = acc.value.filter((a) => a.currency === 'BTC').reduce((a, x) => a + x.balance + x.locked, 0)
    const positionMismatch = Math.abs(venueBase - journalBase) > 1e-8 ? venueBase - journalBase : 0
    if (duplicateOrders > 0) problems.push(`${duplicateOrders} duplicate orders`)
    if (ordersWithoutIntent > 0) problems.push(`${ordersWithoutIntent} venue orders without a journal row`)
    if (lostFills > 0) problems.push(`${lostFills} fills missing from the journal`)
    if (unknownFills > 0) problems.push(`${unknownFills} journal fills the venue does not know`)
    if (positionMismatch !== 0) problems.push(`position: venue ${venueBase} BTC, journal ${journalBase}`)
    if (integrity !== 'ok') problems.push(`integrity_check: ${integrity}`)
    return {
      seed: plan.seed,
      kills: plan.kills.length,
      pointHits,
      venueOrders: orders.length,
      journalFills: fills.length,
      duplicateOrders,
      lostFills,
      unknownFills,
      ordersWithoutIntent,
      positionMismatch,
      finalStatus,
      integrity,
      problems,
    }
  } finally {
    if (edge) await killHard(edge.proc)
    await killHard(sim.proc)
    // CRASH_KEEP=1 keeps the trial's folder (journal, token) to look at.
    if (process.env.CRASH_KEEP === '1') log(`  kept ${dir}`)
    else rmSync(dir, { recursive: true, force: true })
  }
}

const POINTS = ['after-intent', 'after-send', 'after-fill'] as const

/** Trial i's plan: seeded, mixing named crash points and random kill times. */
export function planOf(i: number): TrialPlan {
  let x = (i + 1) * 2654435761
  const rnd = (): number => {
    x = (x ^ (x << 13)) >>> 0
    x = (x ^ (x >>> 17)) >>> 0
    x = (x ^ (x << 5)) >>> 0
    return x / 2 ** 32
  }
  const kills: TrialPlan['kills'][number][] = []
  const n = 2 + Math.floor(rnd() * 2)
  for (let k = 0; k < n; k++) {
    if (rnd() < 0.5) kills.push({ point: POINTS[Math.floor(rnd() * POINTS.length)]!, nth: 1 + Math.floor(rnd() * 3) })
    else kills.push({ afterMs: 500 + Math.floor(rnd() * 4_000) })
  }
  return { seed: i, kills }
}

async function main(): Promise<void> {
  const trials = Number(process.argv[2] ?? 20)
  const results: TrialResult[] = []
  for (let i = 0; i < trials; i++) {
    const r = await runTrial(planOf(i), console.log)
    results.push(r)
    console.log(
      `trial ${i}: ${r.kills} kills (${r.pointHits} at crash points), ${r.venueOrders} venue orders, ${r.journalFills} fills, final ${r.finalStatus}${r.problems.length ? `, PROBLEMS: ${r.problems.join('; ')}` : ''}`,
    )
  }
  const sum = (f: (r: TrialResult) => number): number => results.reduce((a, r) => a + f(r), 0)
  console.log(
    `crash trials: ${results.length} trials, ${sum((r) => r.kills)} kills (${sum((r) => r.pointHits)} at crash points), ${sum((r) => r.venueOrders)} venue orders, ${sum((r) => r.journalFills)} fills; duplicate orders ${sum((r) => r.duplicateOrders)}, lost fills ${sum((r) => r.lostFills)}, unknown fills ${sum((r) => r.unknownFills)}, orders without intent ${sum((r) => r.ordersWithoutIntent)}, position mismatches ${results.filter((r) => r.positionMismatch !== 0).length}, halted at the end ${results.filter((r) => r.finalStatus.startsWith('halted')).length}`,
  )
  if (results.some((r) => r.problems.length > 0)) process.exitCode = 1
}

if (process.argv[1] !== undefined && import.meta.filename === process.argv[1]) await main()
