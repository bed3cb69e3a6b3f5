/**
 * `npm run bench:privacy` (also part of `npm run bench`): utility of private fits on
 * examples/data/adult.csv with the public domain in bench/adult-domain.yaml.
 *
 * For ε ∈ {0.3, 1, 3} and δ = 1e-9: the mean total-variation distance between the real and the
 * synthetic 2-way marginals over all 105 column pairs (on the domain's cells), for the
 * MST-style tree fit and, as the baseline in the same run, independent noisy 1-way marginals
 * with the same budget. Synthetic data has as many rows as the fit released. Each cell is the
 * mean over REPEATS fits (default 3), since the noise differs every run (crypto randomness).
 */
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseSchemaText } from '../schemas/parse.ts'
import { planDataset } from '../src/api/plan.ts'
import { createDataset } from '../src/engine/dataset.ts'
import { readCells } from '../src/infer/infer.ts'
import { cellCount, loadDomain } from '../src/privacy/domain.ts'
import { discretize, fitModel } from '../src/privacy/fit.ts'
import { meanPairTvd as pairTvd } from './pair-tvd.ts'
import { writeResults } from './results.ts'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const REPEATS = Number(process.env.BENCH_REPEATS ?? 3)
const EPSILONS = [0.3, 1, 3]
const DELTA = 1e-9

const domain = loadDomain(join(ROOT, 'bench/adult-domain.yaml'), parseSchemaText)
const { names, rows } = await readCells(join(ROOT, 'examples/data/adult.csv'), {})
const sizes = [...domain.values()].map(cellCount)
const real = discretize(names, rows, domain)

/** Mean over all column pairs of the TVD between real and synthetic 2-way marginals. */
const meanPairTvd = (synthetic: Int32Array[], syntheticRows: number) =>
  pairTvd(real, rows.length, synthetic, syntheticRows, sizes)

function run(
  epsilon: number,
  method: 'tree' | 'independent',
  seed: number,
): { tvd: number; seconds: number } {
  const started = performance.now()
  const fit = fitModel(names, rows, {
    budget: { mode: 'zcdp', epsilon, delta: DELTA },
    domain,
    method,
    source: { name: 'adult.csv', sha256: 'bench' },
  })
  const seconds = (performance.now() - started) / 1000
  const plan = planDataset(fit.def, { seed })
  const dataset = createDataset(plan)
  const blocks = dataset.read(0, plan.rows)
  const columnNames = dataset.columns.map((c) => c.name)
  const syntheticRows = Array.from({ length: plan.rows }, (_, r) =>
    blocks.map((b) => {
      const v = b.values[r]
      return v === null || v === undefined ? null : String(v)
    }),
  )
  return { tvd: meanPairTvd(discretize(columnNames, syntheticRows, domain), plan.rows), seconds }
}

const results: { epsilon: number; tree: number; independent: number; fitSeconds: number }[] = []
console.log(`adult.csv: ${rows.length} rows, ${sizes.length} columns, δ = ${DELTA}, ${REPEATS} fits per cell`)
console.log('ε      MST-style tree   independent 1-way   fit time')
for (const epsilon of EPSILONS) {
  const tree = Array.from({ length: REPEATS }, (_, i) => run(epsilon, 'tree', i))
  const independent = Array.from({ length: REPEATS }, (_, i) => run(epsilon, 'independent', i))
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length
  const row = {
    epsilon,
    tree: mean(tree.map((r) => r.tvd)),
    independent: mean(independent.map((r) => r.tvd)),
    fitSeconds: mean(tree.map((r) => r.seconds)),
  }
  results.push(row)
  console.log(
    `${String(epsilon).padEnd(6)} ${row.tree.toFixed(4).padEnd(16)} ${row.independent.toFixed(4).padEnd(19)} ${row.fitSeconds.toFixed(2)} s`,
  )
}
const target = results.find((r) => r.epsilon === 1)!
console.log(
  `target at ε = 1: mean 2-way TVD ≤ 0.05 → ${target.tree.toFixed(4)} ${target.tree <= 0.05 ? '(met)' : '(MISSED)'}`,
)
writeResults(
  'privacy-results.json',
  `${JSON.stringify({ date: new Date().toISOString(), delta: DELTA, repeats: REPEATS, results }, null, 2)}\n`,
)
