/**
 * Comparing two versions: row counts, schema columns added, removed or changed, manifest
 * statistics that differ, and rows added, removed or changed by key. Two versions of different
 * datasets are compared the same way, by column name: columns come from each version's manifest
 * (generated and uploaded versions alike; a column whose type or generator spec differs is
 * changed), rows are matched by a key only when both versions have that key column, and rows are
 * compared on the columns both have. `sameDataset` says which case a report is.
 */
import type { FormatName } from '../src/formats/index.ts'
import type { DataRow } from '../src/formats/read.ts'
import { type RegistryContext, readAll, refOf } from './context.ts'
import { manifestOf, resolveRef } from './datasets.ts'
import type { Recipe } from './publish.ts'
import { singleTable } from './tables.ts'

export interface DiffReport {
  a: string
  b: string
  /** False when the two references name different datasets (compared by column name). */
  sameDataset: boolean
  rows: { a: number; b: number }
  schema: { added: string[]; removed: string[]; changed: string[] } | null
  stats: Record<string, Record<string, { a: unknown; b: unknown }>>
  byKey?: {
    key: string
    /** The columns rows are compared on: those both versions have. */
    columns: string[]
    added: number
    removed: number
    changed: number
    examples: { key: unknown; change: 'added' | 'removed' | 'changed' }[]
  }
}

/** The registry's diff method. */
export function diffMethods(ctx: RegistryContext) {
  const { blobs } = ctx
  return {
    async diff(refA: string, refB: string): Promise<DiffReport> {
      const [a, b] = [await resolveRef(ctx, refA), await resolveRef(ctx, refB)]
      for (const v of [a, b]) await singleTable(ctx, v)
      const [ma, mb] = [await manifestOf(ctx, a), await manifestOf(ctx, b)]
      const report: DiffReport = {
        a: refOf(a),
        b: refOf(b),
        sameDataset: a.dataset === b.dataset,
        rows: { a: a.rows, b: b.rows },
        schema: null,
        stats: {},
      }
      const [ra, rb] = [a.recipe as Recipe | null, b.recipe as Recipe | null]
      const [specA, specB] = [ra?.schema.columns ?? {}, rb?.schema.columns ?? {}]
      const [colsA, colsB] = [ma.columns ?? {}, mb.columns ?? {}]
      const namesA = Object.keys(colsA).length > 0 ? Object.keys(colsA) : Object.keys(specA)
      const namesB = Object.keys(colsB).length > 0 ? Object.keys(colsB) : Object.keys(specB)
      const inB = new Set(namesB)
      const shared = namesA.filter((c) => inB.has(c))
      const differs = (c: string) =>
        colsA[c]?.type !== colsB[c]?.type ||
        (c in specA && c in specB && JSON.stringify(specA[c]) !== JSON.stringify(specB[c]))
      if (namesA.length > 0 || namesB.length > 0) {
        report.schema = {
          added: namesB.filter((c) => !namesA.includes(c)),
          removed: namesA.filter((c) => !inB.has(c)),
          changed: shared.filter(differs),
        }
      }
      for (const column of shared) {
        const sa = colsA[column] as unknown as Record<string, unknown> | undefined
        const sb = colsB[column] as unknown as Record<string, unknown> | undefined
        if (sa === undefined || sb === undefined) continue
        for (const key of ['min', 'max', 'mean', 'nullCount', 'missingCount', 'type']) {
          const [x, y] = [sa[key], sb[key]]
          if (JSON.stringify(x) !== JSON.stringify(y)) {
            report.stats[column] ??= {}
            report.stats[column][key] = { a: x, b: y }
          }
        }
      }
      const idOf = (spec: typeof specA) => Object.entries(spec).find(([, s]) => s.type === 'id')?.[0]
      const key = [idOf(specA), idOf(specB), 'id'].find((k) => k !== undefined && shared.includes(k))
      if (key !== undefined) {
        const index = (rows: DataRow[]) =>
          new Map(
            rows.map((r) => [
              JSON.stringify(r[key] ?? null),
              JSON.stringify(shared.map((c) => r[c] ?? null)),
            ]),
          )
        const [ia, ib] = [
          index(await readAll(await blobs.verifiedPath(a.sha256), a.format as FormatName)),
          index(await readAll(await blobs.verifiedPath(b.sha256), b.format as FormatName)),
        ]
        const byKey: NonNullable<DiffReport['byKey']> = {
          key,
          columns: shared,
          added: 0,
          removed: 0,
          changed: 0,
          examples: [],
        }
        const note = (k: string, change: 'added' | 'removed' | 'changed') => {
          byKey[change]++
          if (byKey.examples.length < 10) byKey.examples.push({ key: JSON.parse(k), change })
        }
        for (const [k, row] of ia)
          if (!ib.has(k)) note(k, 'removed')
          else if (ib.get(k) !== row) note(k, 'changed')
        for (const k of ib.keys()) if (!ia.has(k)) note(k, 'added')
        report.byKey = byKey
      }
      return report
    },
  }
}
