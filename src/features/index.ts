/**
 * The golden-dataset features layered over a column's base values, one module each: coverage
 * (coverage.ts), edge cases (edge-cases.ts), missing values (missing.ts) and the `when`
 * conditions they use (when.ts). They are planned together, in this order, and applied to each
 * fresh block in the same order (then text conversion when a string sentinel lands in a
 * non-text column).
 *
 * Determinism: rate-based choices draw from the column's own streams (purposes "edge" and
 * "missing") per block; placements that need the dataset's size (exact counts, coverage rows,
 * `mode: all`) are seeded permutations of the full dataset's rows [0, total). Either way a row's
 * fate depends on its absolute index, never on how the work was split.
 *
 * Protection: coverage rows never get edge cases or missing values, and rows placed by
 * `mode: all` never get missing values, so every guarantee survives the later stages.
 */
import type { DatasetDef } from '../../schemas/language.ts'
import type { BlockKind, ColumnBlock } from '../core/blocks.ts'
import { BLOCK_ROWS } from '../core/random.ts'
import { exprTypeOfColumnType } from '../expr/blocks.ts'
import type { ExprType } from '../expr/check.ts'
import { applyCoverage, type PairwisePlan, planCoverage } from './coverage.ts'
import { applyEdgeCases, type EdgePlan, planEdgeCases } from './edge-cases.ts'
import { applyMissing, asText, type MissingPlan, planMissing, writeSentinels } from './missing.ts'
import { type SparseRows, sparse } from './placement.ts'
import type { ApplyContext, FeatureColumn, FeatureIssue } from './types.ts'
import { checkCycles } from './when.ts'

export type { PairwisePlan } from './coverage.ts'
export type { CoverageReport } from './coverage-report.ts'
export type { ApplyContext, FeatureColumn, FeatureIssue } from './types.ts'

/** What the features do to one column. */
export interface ColumnFeatures {
  /** Coverage-forced values (block representation). */
  forced?: SparseRows
  edge?: EdgePlan
  missing?: MissingPlan
  /** The column is written as text (a string sentinel in a non-text column). */
  text?: boolean
}

export interface FeaturesPlan {
  features: ColumnFeatures[]
  /** Output kind and dictionary per column after the features (sentinels and edge values may add entries). */
  kinds: BlockKind[]
  dictionaries: (readonly string[] | undefined)[]
  pairwise: PairwisePlan[]
  /** Bin edges per numeric column named in `coverage.bins`. */
  bins: Record<string, number[]>
  issues: FeatureIssue[]
}

export interface FeaturesInput {
  def: DatasetDef
  columns: FeatureColumn[]
  seed: number
  total: number
  /** Expression type of a column (default: from its spec's type). */
  typeOf?: ((name: string) => ExprType | undefined) | undefined
}

/** Plans coverage, edge cases and missing values for every column; semantic problems go to `issues`. */
export function planFeatures(input: FeaturesInput): FeaturesPlan {
  const { columns, seed, total } = input
  const issues: FeatureIssue[] = []
  const byName = new Map(columns.map((c, i) => [c.name, i]))
  const kinds = columns.map((c) => c.kind)
  const dictionaries = columns.map((c) => c.dictionary)
  const coverage = planCoverage(input, issues)

  const features: ColumnFeatures[] = columns.map((c, i) => {
    const ex: ColumnFeatures = {}
    const forced = coverage.forced[i]!
    if (forced.size > 0) ex.forced = sparse(forced)
    const protectedRows = new Set(forced.keys())
    const edge = planEdgeCases({ column: c, seed, total, protectedRows }, issues)
    if (edge !== undefined) {
      ex.edge = edge
      if (c.kind === 'dict' && edge.pool.dictionary !== undefined)
        dictionaries[i] = [...(dictionaries[i] ?? []), ...edge.pool.dictionary]
    }
    const missing = planMissing(
      {
        column: { ...c, dictionary: dictionaries[i] },
        seed,
        total,
        protectedRows,
        known: (n) => byName.has(n),
        typeOf: input.typeOf ?? ((n) => exprTypeOfColumnType(columns[byName.get(n)!]!.spec.type)),
      },
      issues,
    )
    if (missing !== undefined) {
      ex.missing = missing.plan
      kinds[i] = missing.kind
      dictionaries[i] = missing.dictionary
      if (missing.text) ex.text = true
    }
    return ex
  })

  // MAR dependencies must not form a cycle.
  checkCycles(
    columns.map((c) => c.name),
    (i) => [
      ...(features[i]!.missing?.when ?? []).map((w) => byName.get(w.column)!),
      ...(features[i]!.missing?.rateExpr?.columns ?? []).map((n) => byName.get(n)!),
    ],
    (name) => ['columns', name, 'missing', 'when'],
    issues,
  )
  return { features, kinds, dictionaries, pairwise: coverage.pairwise, bins: coverage.bins, issues }
}

/** Applies a column's features to a freshly generated block (in place), returning the final block. */
export function applyFeatures(block: ColumnBlock, ex: ColumnFeatures, ctx: ApplyContext): ColumnBlock {
  if (ex.forced !== undefined) applyCoverage(block, ex.forced, ctx.index * BLOCK_ROWS)
  if (ex.edge !== undefined) applyEdgeCases(block, ex.edge, ex.forced, ctx)
  const m = ex.missing
  if (m !== undefined) applyMissing(block, m, [ex.forced, ex.edge?.forced], ctx)
  let out = block
  if (ex.text === true) out = asText(out)
  if (m?.as !== undefined) writeSentinels(out, m.as)
  return out
}
