// `npm run bench`: imports every test/bench/*.bench.ts, runs it, prints its figures and, with
// `--json FILE`, writes all figures to FILE as { "<key>": number } (keys documented in the README).
// Options: --quick (smaller inputs), --only NAME[,NAME] (bench names), --json FILE.
import { readdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

export interface BenchArgs {
  readonly quick: boolean
}
export interface BenchDef {
  readonly name: string
  run(args: BenchArgs): Promise<Record<string, number>>
}

function parseArgs(argv: readonly string[]): { json?: string; quick: boolean; only?: string[] } {
  const out: { json?: string; quick: boolean; only?: string[] } = { quick: false }
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (a === '--json') out.json = argv[++i]
    else if (a === '--quick') out.quick = true
    else if (a === '--only') out.only = (argv[++i] ?? '').split(',')
    else throw new Error(`unknown option ${a} (use --json FILE, --quick, --only NAME[,NAME])`)
  }
  if (out.json === undefined && argv.includes('--json')) throw new Error('--json needs a file name')
  return out
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2))
  const dir = dirname(fileURLToPath(import.meta.url))
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.bench.ts'))
    .sort()
  const all: Record<string, number> = {}
  for (const f of files) {
    const mod = (await import(pathToFileURL(join(dir, f)).href)) as { bench?: BenchDef }
    const bench = mod.bench
    if (!bench) throw new Error(`${f} does not export \`bench\``)
    if (args.only && !args.only.includes(bench.name)) continue
    process.stdout.write(`\n== ${bench.name} (${f})\n`)
    const figures = await bench.run({ quick: args.quick })
    for (const [k, v] of Object.entries(figures)) {
      process.stdout.write(`${k.padEnd(48)} ${formatNumber(v)}\n`)
      all[k] = v
    }
  }
  if (args.json) {
    writeFileSync(args.json, JSON.stringify(all, null, 2) + '\n')
    process.stdout.write(`\nwrote ${Object.keys(all).length} figures to ${args.json}\n`)
  }
}

function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v)
  if (Math.abs(v) >= 1000) return v.toFixed(0)
  if (Math.abs(v) >= 1) return v.toFixed(2)
  return v.toPrecision(3)
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e)
  process.exit(1)
})
