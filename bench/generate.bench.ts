/**
 * `npm run bench`: goldgen against baselines measured in the same run, on one core.
 *
 *  1. The 10-column table (id, int normal, float lognormal, date, 2 weighted categories,
 *     bool, float uniform, faker name, faker email) at 1M rows to an Arrow file, against a plain
 *     @faker-js/faker loop that builds the same rows as objects (and writes nothing); with faker
 *     columns version 1 (faker per value) and version 2 (sampled), one worker and two.
 *  2. The 8 numeric/categorical columns alone, to an Arrow file.
 *  3. The PRNG: sfc32 (goldgen's) against seedrandom's generators.
 *
 * Set BENCH_ROWS to change the row count. Results go to stdout and bench/latest/results.json.
 */
import { rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { faker } from '@faker-js/faker'
import seedrandom from 'seedrandom'
import { sfc32 } from '../src/core/random.ts'
import { createGoldgen } from '../src/index.ts'
import { writeResults } from './results.ts'

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000)
const goldgen = createGoldgen()

const numericColumns = {
  id: { type: 'id' },
  age: { type: 'int', min: 18, max: 90, distribution: { normal: { mean: 41, sd: 12 } } },
  income: { type: 'float', min: 0, distribution: { lognormal: { mu: 10.6, sigma: 0.5 } }, precision: 2 },
  signup: { type: 'date', min: '2015-01-01', max: '2025-12-31' },
  country: { type: 'category', values: { US: 0.5, DE: 0.2, FR: 0.2, JP: 0.1 } },
  plan: { type: 'category', values: { basic: 0.6, pro: 0.3, enterprise: 0.1 } },
  active: { type: 'bool', p: 0.8 },
  score: { type: 'float', min: 0, max: 1 },
}
const fullColumns = {
  ...numericColumns,
  name: { type: 'faker', method: 'person.fullName' },
  email: { type: 'faker', method: 'internet.email' },
}
/** The same table with faker version 2 (names and e-mails sampled from faker's definitions). */
const sampledColumns = {
  ...numericColumns,
  name: { type: 'faker', method: 'person.fullName', version: 2 },
  email: { type: 'faker', method: 'internet.email', version: 2 },
}

function time<T>(f: () => T): { seconds: number; result: T } {
  const start = process.hrtime.bigint()
  const result = f()
  return { seconds: Number(process.hrtime.bigint() - start) / 1e9, result }
}
async function timeAsync<T>(f: () => Promise<T>): Promise<{ seconds: number; result: T }> {
  const start = process.hrtime.bigint()
  const result = await f()
  return { seconds: Number(process.hrtime.bigint() - start) / 1e9, result }
}

async function goldgenToArrow(columns: object, label: string, workers = 1) {
  const out = join(tmpdir(), `goldgen-bench-${process.pid}-${label}.feather`)
  const source = goldgen.defineSchema({ goldgen: 1, columns })
  const { seconds } = await timeAsync(() =>
    goldgen.generate(source, { rows: ROWS, seed: 1, format: 'arrow-file', out, manifest: false, workers }),
  )
  const bytes = statSync(out).size
  rmSync(out, { force: true })
  return { seconds, rowsPerSecond: ROWS / seconds, bytes }
}

/** The same table, the way one would write it with faker alone: one object per row. */
function fakerLoop() {
  faker.seed(1)
  const countries = [
    { value: 'US', weight: 0.5 },
    { value: 'DE', weight: 0.2 },
    { value: 'FR', weight: 0.2 },
    { value: 'JP', weight: 0.1 },
  ]
  const plans = [
    { value: 'basic', weight: 0.6 },
    { value: 'pro', weight: 0.3 },
    { value: 'enterprise', weight: 0.1 },
  ]
  const from = new Date('2015-01-01T00:00:00Z')
  const to = new Date('2025-12-31T00:00:00Z')
  let batch: object[] = []
  let sink = 0
  for (let i = 0; i < ROWS; i++) {
    // faker has no normal or lognormal helper; Box–Muller from faker's own uniform draws.
    const z =
      Math.sqrt(-2 * Math.log(1 - faker.number.float())) * Math.cos(2 * Math.PI * faker.number.float())
    batch.push({
      id: i + 1,
      age: Math.min(90, Math.max(18, Math.round(41 + 12 * z))),
      income: Number(Math.exp(10.6 + 0.5 * z).toFixed(2)),
      signup: faker.date.between({ from, to }),
      country: faker.helpers.weightedArrayElement(countries),
      plan: faker.helpers.weightedArrayElement(plans),
      active: faker.datatype.boolean(0.8),
      score: faker.number.float({ min: 0, max: 1 }),
      name: faker.person.fullName(),
      email: faker.internet.email(),
    })
    if (batch.length === 65_536) {
      sink += batch.length
      batch = []
    }
  }
  return sink + batch.length
}

function prngRate(next: () => number, n = 20_000_000): number {
  let acc = 0
  const { seconds } = time(() => {
    for (let i = 0; i < n; i++) acc ^= next()
  })
  if (acc === 0.5) console.log('') // keep the loop from being optimized away
  return n / seconds
}

const REPEATS = Number(process.env.BENCH_REPEATS ?? 3)
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

async function main() {
  console.error(
    `goldgen bench: ${ROWS.toLocaleString('en-US')} rows, ${REPEATS} alternating repeats (medians), node ${process.version}, one process`,
  )
  // The three measurements alternate so that machine noise hits each of them alike.
  const runs = {
    faker: [] as number[],
    full: [] as number[],
    sampled: [] as number[],
    numeric: [] as number[],
    full2: [] as number[],
    numeric2: [] as number[],
  }
  let bytes = { full: 0, numeric: 0 }
  for (let r = 0; r < REPEATS; r++) {
    runs.faker.push(time(fakerLoop).seconds)
    const full = await goldgenToArrow(fullColumns, 'full')
    const numeric = await goldgenToArrow(numericColumns, 'numeric')
    runs.full.push(full.seconds)
    runs.numeric.push(numeric.seconds)
    runs.sampled.push((await goldgenToArrow(sampledColumns, 'sampled')).seconds)
    runs.full2.push((await goldgenToArrow(sampledColumns, 'full2', 2)).seconds)
    runs.numeric2.push((await goldgenToArrow(numericColumns, 'numeric2', 2)).seconds)
    bytes = { full: full.bytes, numeric: numeric.bytes }
    console.error(
      `  run ${r + 1}: faker loop ${runs.faker.at(-1)!.toFixed(2)} s, full table ${full.seconds.toFixed(2)} s (faker v2 ${runs.sampled.at(-1)!.toFixed(2)} s, 2 workers ${runs.full2.at(-1)!.toFixed(2)} s), numeric ${numeric.seconds.toFixed(2)} s (2 workers ${runs.numeric2.at(-1)!.toFixed(2)} s)`,
    )
  }
  const baseline = { seconds: median(runs.faker) }
  const full = { seconds: median(runs.full), rowsPerSecond: ROWS / median(runs.full), bytes: bytes.full }
  const numeric = {
    seconds: median(runs.numeric),
    rowsPerSecond: ROWS / median(runs.numeric),
    bytes: bytes.numeric,
  }
  const arc4 = seedrandom('1')
  const alea = seedrandom.alea('1')
  const xor128 = seedrandom.xor128('1')
  const sfc = sfc32(1, 2, 3, 4)
  const prng = {
    'sfc32 (goldgen) uint32': prngRate(() => sfc.uint32()),
    'sfc32 (goldgen) double': prngRate(() => sfc.next()),
    'seedrandom arc4 (default) double': prngRate(() => arc4()),
    'seedrandom alea double': prngRate(() => alea()),
    'seedrandom xor128 double': prngRate(() => xor128()),
  }
  const results = {
    rows: ROWS,
    repeats: REPEATS,
    runs,
    node: process.version,
    fakerLoop: { seconds: baseline.seconds, rowsPerSecond: ROWS / baseline.seconds },
    goldgenFullTable: { ...full, vsFakerLoop: full.rowsPerSecond / (ROWS / baseline.seconds) },
    goldgenFullTableFakerV2: {
      seconds: median(runs.sampled),
      rowsPerSecond: ROWS / median(runs.sampled),
      vsFakerLoop: median(runs.faker) / median(runs.sampled),
    },
    goldgenNumericCategorical: numeric,
    twoWorkers: {
      fullVsFakerLoop: median(runs.faker) / median(runs.full2),
      numericRowsPerSecond: ROWS / median(runs.numeric2),
      numericSpeedup: median(runs.numeric) / median(runs.numeric2),
    },
    prngPerSecond: prng,
  }
  const f = (n: number) => Math.round(n).toLocaleString('en-US')
  console.log(`| benchmark (${ROWS.toLocaleString('en-US')} rows) | rows/s | time | vs faker loop |`)
  console.log('|---|---:|---:|---:|')
  console.log(
    `| plain faker row-object loop (baseline) | ${f(ROWS / baseline.seconds)} | ${baseline.seconds.toFixed(2)} s | 1.00× |`,
  )
  console.log(
    `| goldgen, full 10-column table → Arrow file | ${f(full.rowsPerSecond)} | ${full.seconds.toFixed(2)} s | ${results.goldgenFullTable.vsFakerLoop.toFixed(2)}× |`,
  )
  console.log(
    `| goldgen, full 10-column table, faker version 2 → Arrow file | ${f(results.goldgenFullTableFakerV2.rowsPerSecond)} | ${results.goldgenFullTableFakerV2.seconds.toFixed(2)} s | ${results.goldgenFullTableFakerV2.vsFakerLoop.toFixed(2)}× |`,
  )
  console.log(
    `| goldgen, 8 numeric/categorical columns → Arrow file | ${f(numeric.rowsPerSecond)} | ${numeric.seconds.toFixed(2)} s | ${(numeric.rowsPerSecond / (ROWS / baseline.seconds)).toFixed(2)}× |`,
  )
  const two = results.twoWorkers
  const goal = (ok: boolean) => (ok ? 'met' : 'NOT met')
  console.log('')
  console.log('| goal (issue 16) | measured | |')
  console.log('|---|---:|---|')
  console.log(
    `| full table (faker version 2) with 2 workers ≥ 3× the faker loop | ${two.fullVsFakerLoop.toFixed(2)}× | ${goal(two.fullVsFakerLoop >= 3)} |`,
  )
  console.log(
    `| numeric/categorical ≥ 5M rows/s on one core | ${f(numeric.rowsPerSecond)} | ${goal(numeric.rowsPerSecond >= 5e6)} |`,
  )
  console.log(
    `| numeric/categorical with 2 workers ≥ 1.7× one | ${two.numericSpeedup.toFixed(2)}× (${f(two.numericRowsPerSecond)} rows/s) | ${goal(two.numericSpeedup >= 1.7)} |`,
  )
  console.log('')
  console.log('| PRNG | draws/s | vs seedrandom default |')
  console.log('|---|---:|---:|')
  const base = prng['seedrandom arc4 (default) double']
  for (const [name, rate] of Object.entries(prng))
    console.log(`| ${name} | ${f(rate)} | ${(rate / base).toFixed(2)}× |`)
  writeResults('results.json', `${JSON.stringify(results, null, 2)}\n`)
}

await main()
