/**
 * `npm run bench:fidelity` (also part of `npm run bench`): fidelity on data the tests do not tune to.
 *
 * 1. infer → generate on the real CSVs in bench/data/ (see its README for sources): the mean
 *    per-column TVD of `goldgen compare` (exact levels for ≤ 50 distinct values, else 20
 *    equal-width bins), per dataset and over all columns. Goal: ≤ 0.05.
 * 2. `goldgen fit` on examples/data/adult.csv at ε = 1 (δ = 1e-9): the mean 2-way TVD over all
 *    105 column pairs, every numeric column evaluated on 16 equal-width bins over its declared
 *    range, for the tree fit with a `{ min, max }`-only domain for numeric columns
 *    (bench/adult-minmax.yaml; goal ≤ 0.05), the tree fit with the hand-tuned domain
 *    (bench/adult-domain.yaml), and independent noisy 1-way marginals with the `{ min, max }`
 *    domain (the baseline), in the same run. Each is the mean over REPEATS fits (default 3).
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse as parseYaml } from 'yaml'
import { parseSchemaText, validateDef } from '../schemas/parse.ts'
import { generate } from '../src/api/generate.ts'
import { planDataset } from '../src/api/plan.ts'
import { compareFiles } from '../src/compare/fidelity.ts'
import { createDataset } from '../src/engine/dataset.ts'
import { inferSchema, readCells } from '../src/infer/infer.ts'
import { cellCount, type Domain, loadDomain, parseDomain } from '../src/privacy/domain.ts'
import { discretize, fitModel } from '../src/privacy/fit.ts'
import { meanPairTvd as pairTvd } from './pair-tvd.ts'
import { writeResults } from './results.ts'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const REPEATS = Number(process.env.BENCH_REPEATS ?? 3)
const EPSILON = 1
const DELTA = 1e-9
const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length

// 1. infer → generate.
const work = mkdtempSync(join(tmpdir(), 'goldgen-fidelity-'))
/** Synthetic rows per dataset: enough that the figure measures the schema, not sampling noise. */
const SYNTHETIC_ROWS = 20_000
const datasets: {
  file: string
  rows: number
  columns: number
  meanTvd: number
  worst: string
  /** With as many synthetic rows as real ones: sampling noise of a sample that small included. */
  meanTvdSameRows: number
}[] = []
const allTvds: number[] = []
for (const file of readdirSync(join(ROOT, 'bench/data'))
  .filter((f) => f.endsWith('.csv'))
  .sort()) {
  const path = join(ROOT, 'bench/data', file)
  const inferred = await inferSchema(path)
  const def = validateDef(parseYaml(inferred.yaml), file)
  const out = join(work, file)
  // A unique column of n seen values cannot fill 20,000 distinct rows: drawn without `unique` there.
  const many = {
    ...def,
    columns: Object.fromEntries(
      Object.entries(def.columns!).map(([k, c]) => {
        const { unique: _, ...rest } = c as typeof c & { unique?: boolean }
        return [k, c.type === 'id' ? c : rest]
      }),
    ),
  } as typeof def
  await generate({ def: many }, { out, seed: 1, rows: SYNTHETIC_ROWS, manifest: false })
  const report = await compareFiles(path, out)
  const same = join(work, `same-${file}`)
  await generate({ def }, { out: same, seed: 1, manifest: false })
  const sameRows = await compareFiles(path, same)
  const cols = Object.entries(report.columns)
  allTvds.push(...cols.map(([, c]) => c.tvd))
  const [worstName, worst] = cols.reduce((w, c) => (c[1].tvd > w[1].tvd ? c : w))
  datasets.push({
    file,
    rows: inferred.rows,
    columns: cols.length,
    meanTvd: report.meanTvd,
    worst: `${worstName} ${worst.tvd.toFixed(3)}`,
    meanTvdSameRows: sameRows.meanTvd,
  })
}
rmSync(work, { recursive: true, force: true })
console.log(
  `infer → generate: mean per-column TVD, ${SYNTHETIC_ROWS} synthetic rows [as many as the real rows]`,
)
for (const d of datasets)
  console.log(
    `  ${d.file.padEnd(18)} ${String(d.rows).padStart(5)} rows ${String(d.columns).padStart(3)} columns  ${d.meanTvd.toFixed(4)} [${d.meanTvdSameRows.toFixed(4)}]  (worst: ${d.worst})`,
  )
const inferMean = mean(datasets.map((d) => d.meanTvd))
console.log(
  `  mean over datasets ${inferMean.toFixed(4)} [${mean(datasets.map((d) => d.meanTvdSameRows)).toFixed(4)}], over all ${allTvds.length} columns ${mean(allTvds).toFixed(4)}; goal ≤ 0.05 ${inferMean <= 0.05 ? '(met)' : '(MISSED)'}`,
)

// 2. Private fits on Adult.
const minmax = loadDomain(join(ROOT, 'bench/adult-minmax.yaml'), parseSchemaText)
const tuned = loadDomain(join(ROOT, 'bench/adult-domain.yaml'), parseSchemaText)
const { names, rows } = await readCells(join(ROOT, 'examples/data/adult.csv'), {})
/** The evaluation cells: category values, and 16 equal-width bins over each numeric range. */
const evaluation: Domain = parseDomain(
  Object.fromEntries(
    [...minmax].map(([name, c]) => [
      name,
      c.kind === 'values'
        ? c.values
        : { min: c.min, max: c.max, bins: 16, type: c.integer ? 'int' : 'float' },
    ]),
  ),
  'evaluation',
)
const sizes = [...evaluation.values()].map(cellCount)
const real = discretize(names, rows, evaluation)

/** Mean over all column pairs of the TVD between real and synthetic 2-way marginals. */
const meanPairTvd = (synthetic: Int32Array[], syntheticRows: number) =>
  pairTvd(real, rows.length, synthetic, syntheticRows, sizes)

function run(domain: Domain, method: 'tree' | 'independent', seed: number): number {
  const fit = fitModel(names, rows, {
    budget: { mode: 'zcdp', epsilon: EPSILON, delta: DELTA },
    domain,
    method,
    source: { name: 'adult.csv', sha256: 'bench' },
  })
  const plan = planDataset(fit.def, { seed })
  const dataset = createDataset(plan)
  const blocks = dataset.read(0, plan.rows)
  const columnNames = dataset.columns.map((c) => c.name)
  const synthetic = Array.from({ length: plan.rows }, (_, r) =>
    blocks.map((b) => {
      const v = b.values[r]
      return v === null || v === undefined ? null : String(v)
    }),
  )
  return meanPairTvd(discretize(columnNames, synthetic, evaluation), plan.rows)
}

const fits = {
  minmaxTree: mean(Array.from({ length: REPEATS }, (_, i) => run(minmax, 'tree', i))),
  tunedTree: mean(Array.from({ length: REPEATS }, (_, i) => run(tuned, 'tree', i))),
  minmaxIndependent: mean(Array.from({ length: REPEATS }, (_, i) => run(minmax, 'independent', i))),
}
console.log(
  `adult.csv fit at ε = ${EPSILON}, δ = ${DELTA}: mean 2-way TVD on 16 equal-width bins, ${REPEATS} fits each`,
)
console.log(
  `  tree, { min, max } domain       ${fits.minmaxTree.toFixed(4)}  goal ≤ 0.05 ${fits.minmaxTree <= 0.05 ? '(met)' : '(MISSED)'}`,
)
console.log(`  tree, tuned domain              ${fits.tunedTree.toFixed(4)}`)
console.log(`  independent, { min, max } domain ${fits.minmaxIndependent.toFixed(4)}`)
writeResults(
  'fidelity-results.json',
  `${JSON.stringify({ date: new Date().toISOString(), infer: { datasets, meanOverDatasets: inferMean, meanOverColumns: mean(allTvds) }, fit: { epsilon: EPSILON, delta: DELTA, repeats: REPEATS, evaluationBins: 16, ...fits } }, null, 2)}\n`,
)
