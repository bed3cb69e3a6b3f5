/**
 * `npm run bench` (related data): in one process on one core,
 *  1. the cost of an `expr` column over numeric inputs against a plain float column of the same
 *     rows (each measured as the extra time over the same two input columns, blocks in memory);
 *  2. a 1,000,000-row child table with a ref (to its parent) and a lookup, written to Arrow
 *     with its integrity check (`--table orders`): rows/s of the best of BENCH_RUNS runs (default
 *     5) after one warm-up run, and of their median.
 * Set BENCH_ROWS to change the row count. Results go to stdout and bench/latest/related-results.json.
 */
import { generateTablesBuffers } from '../src/api/tables.ts'
import { createGoldgen } from '../src/index.ts'
import { writeResults } from './results.ts'

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000)
const goldgen = createGoldgen()
const inputs = {
  a: { type: 'float', min: 0, max: 100 },
  b: { type: 'float', distribution: { normal: { mean: 0, sd: 1 } } },
}

/** Seconds to make every block of a schema's columns in memory. */
function readAll(columns: object): number {
  const dataset = goldgen.dataset(goldgen.defineSchema({ goldgen: 1, columns }), { rows: ROWS, seed: 1 })
  const start = process.hrtime.bigint()
  for (let at = 0; at < ROWS; at += 65_536) dataset.read(at, Math.min(65_536, ROWS - at))
  return Number(process.hrtime.bigint() - start) / 1e9
}

const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!

async function main() {
  const base: number[] = []
  const plain: number[] = []
  const expr: number[] = []
  // BENCH_ONLY=child skips the expr part (for profiling the child table).
  for (let run = 0; run < (process.env.BENCH_ONLY === 'child' ? 0 : 5); run++) {
    base.push(readAll(inputs))
    plain.push(
      readAll({ ...inputs, c: { type: 'float', distribution: { lognormal: { mu: 1, sigma: 0.5 } } } }),
    )
    expr.push(readAll({ ...inputs, c: { type: 'float', expr: 'a * 0.3 + (b > 0 ? sqrt(a) : b * 2) - 1' } }))
  }
  const plainCost = base.length === 0 ? 1 : Math.max(1e-9, median(plain) - median(base))
  const exprCost = base.length === 0 ? 1 : Math.max(1e-9, median(expr) - median(base))

  const parents = Math.round(ROWS / 4)
  const shop = goldgen.defineSchema({
    goldgen: 1,
    seed: 3,
    tables: {
      customers: {
        rows: parents,
        columns: {
          customer_id: { type: 'id' },
          segment: { type: 'category', values: { consumer: 0.7, business: 0.3 } },
        },
      },
      orders: {
        parent: { table: 'customers', count: 4 },
        columns: {
          order_id: { type: 'id' },
          customer_id: { type: 'ref', table: 'customers' },
          segment: { type: 'lookup', ref: 'customer_id', column: 'segment' },
        },
      },
    },
  })
  // The child table: one warm-up run (JIT, first-touch allocations), then RUNS timed runs; each
  // run plans the schema again and includes the integrity check. The best run is what one core
  // can do; the median says how much the shared machine took away.
  const child: number[] = []
  // CPU seconds of the process over the same runs (all its threads: the GC's helpers count too).
  const cpu: number[] = []
  const RUNS = Number(process.env.BENCH_RUNS ?? 5)
  for (let run = 0; run <= RUNS; run++) {
    const start = process.hrtime.bigint()
    const used = process.cpuUsage()
    const { manifest } = await generateTablesBuffers(shop, { table: 'orders', format: 'arrow' })
    const seconds = Number(process.hrtime.bigint() - start) / 1e9
    const spent = process.cpuUsage(used)
    if (run > 0) {
      child.push(seconds)
      cpu.push((spent.user + spent.system) / 1e6)
    }
    if (!manifest.integrity.ok || manifest.tables.orders!.rows !== parents * 4)
      throw new Error('bad child table')
  }
  const best = Math.min(...child)
  const results = {
    rows: ROWS,
    exprColumnSeconds: exprCost,
    plainFloatColumnSeconds: plainCost,
    exprVsPlain: exprCost / plainCost,
    childTable: {
      rows: parents * 4,
      warmup: 1,
      runs: child.length,
      bestSeconds: best,
      medianSeconds: median(child),
      rowsPerSecond: (parents * 4) / best,
      medianRowsPerSecond: (parents * 4) / median(child),
      bestCpuSeconds: Math.min(...cpu),
      rowsPerCpuSecond: (parents * 4) / Math.min(...cpu),
      goal: 1_000_000,
      met: (parents * 4) / best >= 1_000_000,
    },
  }
  const f = (n: number) => Math.round(n).toLocaleString('en-US')
  process.stdout.write(
    [
      `| benchmark (${f(ROWS)} rows) | time | ratio |`,
      '|---|---:|---:|',
      `| plain float column (extra time over two inputs) | ${plainCost.toFixed(3)} s | 1.00× |`,
      `| expr column over the same inputs | ${exprCost.toFixed(3)} s | ${(exprCost / plainCost).toFixed(2)}× |`,
      '',
      `| child table with a ref and a lookup → Arrow (best / median of ${child.length} runs after a warm-up) | rows | time | rows/s |`,
      '|---|---:|---:|---:|',
      `| orders (parent: ${f(parents)} customers × 4), best | ${f(parents * 4)} | ${best.toFixed(3)} s | ${f(results.childTable.rowsPerSecond)} |`,
      `| orders, median | ${f(parents * 4)} | ${median(child).toFixed(3)} s | ${f(results.childTable.medianRowsPerSecond)} |`,
      `| orders, best CPU time (all threads) | ${f(parents * 4)} | ${Math.min(...cpu).toFixed(3)} s | ${f(results.childTable.rowsPerCpuSecond)} per CPU second |`,
      `| goal ≥ 1,000,000 rows/s (best run) | | | ${results.childTable.met ? 'met' : 'NOT met'} |`,
      '',
    ].join('\n'),
  )
  if (base.length > 0) writeResults('related-results.json', `${JSON.stringify(results, null, 2)}\n`)
}

await main()
