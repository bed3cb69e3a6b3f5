/**
 * `goldgen fit`: a generator model released under differential privacy, in the style of MST
 * (McKenna, Miklau & Sheldon 2021). With the budget split in three equal parts:
 *
 * 1. noisy 1-way marginals of every column (missing is a cell of each, so missing rates are
 *    reproduced; the released row count is their inverse-variance-weighted total);
 * 2. a spanning tree of column pairs, chosen edge by edge (Kruskal) with the exponential
 *    mechanism, scoring each pair by how far its true 2-way marginal is from the product of the
 *    noisy 1-way marginals (L1, on integers: sensitivity 1);
 * 3. noisy 2-way marginals on the tree's edges.
 *
 * The noisy tables are made consistent (inverse-variance weighting of every estimate of each
 * 1-way marginal, then iterative proportional fitting of each edge to its two margins), and the
 * model samples down the tree. Neighbouring datasets differ by one row (added or removed), so
 * every marginal has L1 and L2 sensitivity 1.
 */
import type { DatasetDef } from '../../schemas/language.ts'
import { Accountant, type Budget, exponentialRho, gaussianSigma2 } from './accountant.ts'
import { cellCount, cellOf, type Domain, type DomainColumn, edgesOf } from './domain.ts'
import { consistentMargins, orientTree, releasedCount } from './release.ts'
import { resolveDomain } from './resolution.ts'
import { type RandomBits, rationalOf, Sampler, secureBits } from './samplers.ts'

export interface FitOptions {
  budget: Budget
  domain: Domain
  /** Default: crypto. The insecure seeded source makes the output carry no DP guarantee. */
  bits?: RandomBits | undefined
  /** `tree` (the MST-style fit) or `independent` (all budget on 1-way marginals: the baseline). */
  method?: 'tree' | 'independent' | undefined
  name?: string | undefined
  source: { name: string; sha256: string }
}

export interface LedgerSpend {
  mechanism: string
  what: string
  rho?: number | undefined
  epsilon?: number | undefined
}

export interface PrivacyRecord {
  id: string
  mechanism: string
  epsilon: number
  delta: number
  rho: number | null
  /** How ε was composed from the mechanisms ('basic composition' or 'zCDP (CKS20)'), when named. */
  composition?: string | undefined
  source: { name: string; sha256: string }
  /** False when the insecure seeded noise switch was on. */
  guarantee: boolean
  spends: LedgerSpend[]
  produced: string
  created: string
}

export interface FitResult {
  def: DatasetDef
  privacy: PrivacyRecord
  /** Column pairs of the tree, parent first. */
  edges: [string, string][]
}

/** Counts of each cell of one column (`cells[c]` per row). */
function counts1(cells: Int32Array, size: number): number[] {
  const out = new Array<number>(size).fill(0)
  for (const c of cells) out[c]!++
  return out
}

/** Counts of each (a, b) cell pair, row-major (a · sizeB + b). */
export function counts2(a: Int32Array, b: Int32Array, sizeB: number, sizeA: number): number[] {
  const out = new Array<number>(sizeA * sizeB).fill(0)
  for (let i = 0; i < a.length; i++) out[a[i]! * sizeB + b[i]!]!++
  return out
}

/** The cells of every domain column for every row. */
export function discretize(
  names: readonly string[],
  rows: readonly (readonly (string | null)[])[],
  domain: Domain,
): Int32Array[] {
  return [...domain].map(([name, column]) => {
    const index = names.indexOf(name)
    const out = new Int32Array(rows.length)
    for (let r = 0; r < rows.length; r++)
      out[r] = cellOf(column, index < 0 ? null : (rows[r]![index] ?? null))
    return out
  })
}

/** The exponential mechanism's score of a pair: L1 distance (integers) from the independence estimate. */
export function pairScore(truth: readonly number[], estimate: readonly number[]): bigint {
  let s = 0
  for (let i = 0; i < truth.length; i++) s += Math.abs(truth[i]! - Math.round(estimate[i]!))
  return BigInt(s)
}

/** Fits a model. Throws GoldgenError (USAGE) when the budget cannot pay for a step. */
export function fitModel(
  names: readonly string[],
  rows: readonly (readonly (string | null)[])[],
  options: FitOptions,
): FitResult {
  const bits = options.bits ?? secureBits
  const sampler = new Sampler(bits)
  const accountant = new Accountant(options.budget)
  const pure = options.budget.mode === 'pure'
  // Noise for a table of counts whose L1/L2 sensitivity is 1, given its share of the budget.
  const noisy = (counts: number[], cost: number, what: string): { values: number[]; variance: number } => {
    if (pure) {
      const scale = 1 / cost
      accountant.spend({ mechanism: 'discrete Laplace', epsilon: cost, what })
      const b = rationalOf(scale)
      return {
        values: counts.map((c) => c + Number(sampler.discreteLaplace(b))),
        variance: 2 * scale * scale,
      }
    }
    const sigma2 = gaussianSigma2(1, cost)
    accountant.spend({ mechanism: 'discrete Gaussian', rho: cost, what })
    const s2 = rationalOf(sigma2)
    return { values: counts.map((c) => c + Number(sampler.discreteGaussian(s2))), variance: sigma2 }
  }

  // 0. Bins of the numeric columns declared by { min, max } alone (resolution.ts).
  const resolution = resolveDomain(names, rows, options.domain, accountant.total, noisy)
  const domain = resolution.domain
  const domainColumns = [...domain]
  const d = domainColumns.length
  const sizes = domainColumns.map(([, c]) => cellCount(c))
  const cells = discretize(names, rows, domain)
  const tree = (options.method ?? 'tree') === 'tree' && d > 1
  // What the bin placement did not spend is split between the fit's steps.
  const share = (accountant.total - resolution.spent) / (tree ? 3 : 1)

  // 1. Noisy 1-way marginals.
  const one = domainColumns.map(([name], i) =>
    noisy(counts1(cells[i]!, sizes[i]!), share / d, `1-way marginal of ${name}`),
  )

  // 2. The tree, by the exponential mechanism.
  const edges = tree ? chooseTree({ d, one, share, pure, cells, sizes, accountant, sampler }) : []

  // 3. Noisy 2-way marginals on the tree's edges.
  const two = edges.map(([a, b]) =>
    noisy(
      counts2(cells[a]!, cells[b]!, sizes[b]!, sizes[a]!),
      share / (d - 1),
      `2-way marginal of ${domainColumns[a]![0]} × ${domainColumns[b]![0]}`,
    ),
  )

  const margins = consistentMargins(one, two, edges, sizes)
  const n = releasedCount(one, two, edges, sizes)
  const probabilities = margins.map(normalize)

  // Orient the tree from the first column (breadth first) and fit each edge to its margins.
  const { parentOf, order } = orientTree(d, edges)
  const conditional = new Map<number, number[][]>()
  edges.forEach(([a, b], e) => {
    const [p, c] = parentOf[b] === a ? [a, b] : [b, a]
    const table = Array.from({ length: sizes[p]! }, (_, x) =>
      Array.from({ length: sizes[c]! }, (_, y) => {
        const k = p === a ? x * sizes[b]! + y : y * sizes[b]! + x
        return Math.max(two[e]!.values[k]!, 0) + 1e-6
      }),
    )
    ipf(table, probabilities[p]!, probabilities[c]!)
    conditional.set(
      c,
      table.map((row) => normalize(row)),
    )
  })

  const round6 = (x: number) => Number(x.toPrecision(6))
  const modelColumns: NonNullable<DatasetDef['model']>['columns'] = {}
  for (const i of order) {
    const [name, column] = domainColumns[i]!
    const cellsSpec = cellSpec(column)
    const p = parentOf[i]!
    modelColumns[name] =
      p < 0
        ? { ...cellsSpec, weights: probabilities[i]!.map(round6) }
        : {
            ...cellsSpec,
            parent: domainColumns[p]![0],
            weights: conditional.get(i)!.map((row) => row.map(round6)),
          }
  }
  const summary = accountant.summary()
  const privacy: PrivacyRecord = {
    id: Buffer.from(bits.bytes(16)).toString('hex'),
    mechanism: tree
      ? `${pure ? 'pure ε-DP: discrete Laplace' : 'zCDP: discrete Gaussian'} marginals on an exponential-mechanism tree (MST-style)`
      : `${pure ? 'pure ε-DP: discrete Laplace' : 'zCDP: discrete Gaussian'} 1-way marginals (independent columns)`,
    epsilon: summary.epsilon,
    delta: summary.delta,
    rho: summary.rho,
    source: options.source,
    guarantee: !bits.insecure,
    spends: accountant.spends.map((s) => ({
      mechanism: s.mechanism,
      what: s.what,
      rho: s.rho,
      epsilon: s.epsilon,
    })),
    produced: `model with ${d} columns, ${edges.length} edges, ${n} rows`,
    created: new Date().toISOString(),
  }
  const def: DatasetDef = {
    goldgen: 1,
    ...(options.name !== undefined ? { name: options.name } : {}),
    rows: n,
    model: { kind: 'tree', columns: modelColumns },
    privacy: { ...privacy },
  }
  return {
    def,
    privacy,
    edges: edges.map(([a, b]) =>
      parentOf[b] === a
        ? [domainColumns[a]![0], domainColumns[b]![0]]
        : [domainColumns[b]![0], domainColumns[a]![0]],
    ),
  }
}

function cellSpec(
  column: DomainColumn,
): { values: (string | number | boolean)[] } | { bins: number[]; integer: boolean } {
  return column.kind === 'values'
    ? { values: column.values }
    : { bins: edgesOf(column), integer: column.integer }
}

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0)

function normalize(xs: readonly number[]): number[] {
  const total = sum(xs)
  return total > 0 ? xs.map((x) => x / total) : xs.map(() => 1 / xs.length)
}

/** Iterative proportional fitting of a table (rows × columns) to row and column shares. */
function ipf(table: number[][], rows: readonly number[], columns: readonly number[]): void {
  for (let iteration = 0; iteration < 50; iteration++) {
    const total = table.reduce((s, r) => s + sum(r), 0)
    table.forEach((row, x) => {
      const have = sum(row) / total
      const f = have > 0 ? rows[x]! / have : 0
      for (let y = 0; y < row.length; y++) row[y]! *= f
    })
    const total2 = table.reduce((s, r) => s + sum(r), 0)
    for (let y = 0; y < columns.length; y++) {
      const have = table.reduce((s, r) => s + r[y]!, 0) / total2
      const f = have > 0 ? columns[y]! / have : 0
      for (const row of table) row[y]! *= f
    }
  }
}

/** What choosing the tree needs: the noisy 1-way marginals, the budget share, the data's cells. */
interface TreeInput {
  d: number
  one: { values: number[] }[]
  share: number
  pure: boolean
  cells: readonly Int32Array[]
  sizes: number[]
  accountant: Accountant
  sampler: Sampler
}

/** The tree's d − 1 edges, each chosen by the exponential mechanism (scores: pairScore), each round paid for. */
function chooseTree({
  d,
  one,
  share,
  pure,
  cells,
  sizes,
  accountant,
  sampler,
}: TreeInput): [number, number][] {
  const edges: [number, number][] = []
  const totalEstimate = one.reduce((s, m) => s + m.values.reduce((a, b) => a + b, 0), 0) / d
  const probs = one.map((m) => normalize(m.values.map((v) => Math.max(v, 0))))
  const component = Array.from({ length: d }, (_, i) => i)
  const find = (i: number): number => {
    let root = i
    while (component[root] !== root) root = component[root]!
    return root
  }
  const truth = new Map<string, number[]>()
  const perRound = share / (d - 1)
  // ρ = ε²/8 for the exponential mechanism; in pure mode the round's ε is its share.
  const epsilonRound = pure ? perRound : Math.sqrt(8 * perRound)
  const eta = rationalOf(epsilonRound / 2)
  for (let round = 0; round < d - 1; round++) {
    const candidates: [number, number][] = []
    for (let a = 0; a < d; a++)
      for (let b = a + 1; b < d; b++) if (find(a) !== find(b)) candidates.push([a, b])
    const scores = candidates.map(([a, b]) => {
      const key = `${a},${b}`
      let t = truth.get(key)
      if (t === undefined) {
        t = counts2(cells[a]!, cells[b]!, sizes[b]!, sizes[a]!)
        truth.set(key, t)
      }
      const estimate = t.map(
        (_, k) => totalEstimate * probs[a]![Math.floor(k / sizes[b]!)]! * probs[b]![k % sizes[b]!]!,
      )
      return pairScore(t, estimate)
    })
    const max = scores.reduce((m, s) => (s > m ? s : m), 0n)
    if (pure)
      accountant.spend({
        mechanism: 'exponential mechanism',
        epsilon: perRound,
        what: `tree edge ${round + 1}`,
      })
    else
      accountant.spend({
        mechanism: 'exponential mechanism',
        rho: exponentialRho(epsilonRound),
        what: `tree edge ${round + 1}`,
      })
    const chosen =
      candidates[
        sampler.exponentialMechanism(
          scores.map((s) => max - s),
          eta,
        )
      ]!
    edges.push(chosen)
    component[find(chosen[0])] = find(chosen[1])
  }
  return edges
}
