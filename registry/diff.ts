/**
 * Comparing two versions: row counts, schema columns added, removed or changed (for generated
 * versions), manifest statistics that differ, and rows added, removed or changed by key.
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
  rows: { a: number; b: number }
  schema: { added: string[]; removed: string[]; changed: string[] } | null
  stats: Record<string, Record<string, { a: unknown; b: unknown }>>
  byKey?: {
    key: string
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
        rows: { a: a.rows, b: b.rows },
        schema: null,
        stats: {},
      }
      const [ra, rb] = [a.recipe as Recipe | null, b.recipe as Recipe | null]
      if (ra !== null && rb !== null) {
        const [ca, cb] = [ra.schema.columns ?? {}, rb.schema.columns ?? {}]
        report.schema = {
          added: Object.keys(cb).filter((c) => !(c in ca)),
          removed: Object.keys(ca).filter((c) => !(c in cb)),
          changed: Object.keys(ca).filter((c) => c in cb && JSON.stringify(ca[c]) !== JSON.stringify(cb[c])),
        }
      }
      for (const [column, sa] of Object.entries(ma.columns ?? {})) {
        const sb = mb.columns?.[column] as unknown as Record<string, unknown> | undefined
        if (sb === undefined) continue
        for (const key of ['min', 'max', 'mean', 'nullCount', 'missingCount', 'type']) {
          const [x, y] = [(sa as unknown as Record<string, unknown>)[key], sb[key]]
          if (JSON.stringify(x) !== JSON.stringify(y)) {
            report.stats[column] ??= {}
            report.stats[column][key] = { a: x, b: y }
          }
        }
      }
      const keyColumn =
        ra !== null
          ? Object.entries(ra.schema.columns ?? {}).find(([, s]) => s.type === 'id')?.[0]
          : undefined
      const key = keyColumn ?? ('id' in (ma.columns ?? {}) ? 'id' : undefined)
      if (key !== undefined) {
        const index = (rows: DataRow[]) =>
          new Map(rows.map((r) => [JSON.stringify(r[key]), JSON.stringify(r)]))
        const [ia, ib] = [
          index(await readAll(await blobs.verifiedPath(a.sha256), a.format as FormatName)),
          index(await readAll(await blobs.verifiedPath(b.sha256), b.format as FormatName)),
        ]
        const byKey: NonNullable<DiffReport['byKey']> = {
          key,
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
