/** Coverage achieved by the rows actually written: per-category minimums and pairs covered. */
import type { ColumnDef, DatasetDef } from '../../schemas/language.ts'
import type { ColumnBlock } from '../core/blocks.ts'
import type { PairwisePlan } from './coverage.ts'
import { levelCount } from './coverage.ts'

/** What the report is measured against: the planned columns, pairwise groups and bins. */
export interface CoverageTarget {
  def: DatasetDef
  columns: { name: string; spec: ColumnDef }[]
  pairwise: PairwisePlan[]
  bins: Record<string, number[]>
}

export interface CoverageReport {
  minPerCategory?: {
    required: number
    met: boolean
    /** Per category/bool column: the smallest count among its declared values. */
    columns: Record<string, { minCount: number; met: boolean }>
  }
  pairwise: {
    columns: string[]
    /** Rows placed by the covering array. */
    rowsPlaced: number
    pairsTotal: number
    pairsCovered: number
  }[]
}

/** The level (value index or bin) of each row of a block, or -1 when it has none (missing, unseen, outside the bins). */
function levelsOf(block: ColumnBlock, declared: number, bins: number[] | undefined): Int32Array {
  const n = block.values.length
  const out = new Int32Array(n).fill(-1)
  for (let i = 0; i < n; i++) {
    if (block.missing?.[i] === 1 || block.validity?.[i] === 0) continue
    const v = block.values[i] as number
    if (bins === undefined) {
      if (v < declared) out[i] = v
      continue
    }
    if (!(v >= bins[0]!) || v > bins[bins.length - 1]!) continue
    let b = 0
    while (b < bins.length - 2 && v >= bins[b + 1]!) b++
    out[i] = b
  }
  return out
}

/** Gathers the coverage that the written rows achieve, a chunk of blocks at a time. */
export function createCoverageAccumulator(plan: CoverageTarget) {
  const index = new Map(plan.columns.map((c, i) => [c.name, i]))
  const groups = plan.pairwise.map((g) => ({
    ...g,
    cols: g.columns.map((n) => index.get(n)!),
    seen: g.columns.map((_, a) =>
      g.columns.map((__, b) => (b > a ? new Uint8Array(g.levels[a]! * g.levels[b]!) : undefined)),
    ),
  }))
  return {
    add(blocks: ColumnBlock[]) {
      for (const g of groups) {
        const levels = g.cols.map((c, a) => levelsOf(blocks[c]!, g.levels[a]!, plan.bins[g.columns[a]!]))
        for (let a = 0; a < levels.length; a++) {
          for (let b = a + 1; b < levels.length; b++) {
            const seen = g.seen[a]![b]!
            const la = levels[a]!
            const lb = levels[b]!
            const width = g.levels[b]!
            for (let i = 0; i < la.length; i++)
              if (la[i]! >= 0 && lb[i]! >= 0) seen[la[i]! * width + lb[i]!] = 1
          }
        }
      }
    },
    result(
      stats: Record<string, { valueCounts?: Record<string, number> | undefined }>,
    ): CoverageReport | null {
      const k = plan.def.coverage?.min_per_category
      if (k === undefined && groups.length === 0) return null
      const report: CoverageReport = { pairwise: [] }
      if (k !== undefined) {
        const columns: Record<string, { minCount: number; met: boolean }> = {}
        for (const c of plan.columns) {
          if (c.spec.type !== 'category' && c.spec.type !== 'bool') continue
          const counts = Object.values(stats[c.name]!.valueCounts ?? {})
          const declared = levelCount(c.spec, undefined)!
          const minCount = Math.min(...counts.slice(0, declared))
          columns[c.name] = { minCount, met: minCount >= k }
        }
        report.minPerCategory = { required: k, met: Object.values(columns).every((c) => c.met), columns }
      }
      for (const g of groups) {
        let total = 0
        let covered = 0
        for (const row of g.seen) {
          for (const seen of row) {
            if (seen === undefined) continue
            total += seen.length
            for (const s of seen) covered += s
          }
        }
        report.pairwise.push({
          columns: g.columns,
          rowsPlaced: g.rows,
          pairsTotal: total,
          pairsCovered: covered,
        })
      }
      return report
    },
  }
}
