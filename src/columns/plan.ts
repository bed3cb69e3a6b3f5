/**
 * Planning a `columns` schema: each column gets its generator and the semantic checks the
 * language cannot express, then the row features (coverage, edge cases, missing values) are
 * planned over all columns. Problems are reported together, with file, path and line.
 */
import { generators } from '../../generators/index.ts'
import type { GeneratorPlugin } from '../../generators/types.ts'
import type { ColumnDef, DatasetDef } from '../../schemas/language.ts'
import { plural, withLocation } from '../../schemas/parse.ts'
import type { BlockKind } from '../core/blocks.ts'
import { GoldgenError, type Issue } from '../core/errors.ts'
import type { SourceInfo } from '../engine/source.ts'
import { type ColumnFeatures, type PairwisePlan, planFeatures } from '../features/index.ts'

export interface PlannedColumn {
  name: string
  spec: ColumnDef
  plugin: GeneratorPlugin
  /** How the generator holds values. */
  baseKind: BlockKind
  /** How the column is written (differs when a string sentinel turns it into text). */
  kind: BlockKind
  dictionary?: readonly string[] | undefined
  features: ColumnFeatures
}

export interface ColumnsPlan {
  columns: PlannedColumn[]
  pairwise: PairwisePlan[]
  bins: Record<string, number[]>
}

/** Plans the columns of a definition over a dataset of `total` rows. Throws SCHEMA_INVALID. */
export function planColumns(def: DatasetDef, seed: number, total: number, source: SourceInfo): ColumnsPlan {
  const issues: Issue[] = []
  const base: Omit<PlannedColumn, 'features'>[] = []
  for (const [name, spec] of Object.entries(def.columns ?? {})) {
    const plugin = generators[spec.type] as GeneratorPlugin
    for (const i of plugin.check?.(spec, { rows: total }) ?? []) {
      issues.push({ code: 'invalid_spec', path: ['columns', name, ...i.path], message: i.message })
    }
    const kind = plugin.kind(spec)
    base.push({ name, spec, plugin, baseKind: kind, kind, dictionary: plugin.dictionary?.(spec) })
  }
  const features = issues.length === 0 ? planFeatures({ def, columns: base, seed, total }) : undefined
  for (const i of features?.issues ?? []) issues.push({ code: 'invalid_spec', ...i })
  if (issues.length > 0 || features === undefined) {
    throw new GoldgenError('SCHEMA_INVALID', `invalid schema (${plural(issues.length, 'problem')})`, {
      file: source.file,
      issues: issues.map((i) => withLocation(i, source.locate ?? (() => undefined))),
    })
  }
  const columns = base.map((c, i) => ({
    ...c,
    kind: features.kinds[i]!,
    dictionary: features.dictionaries[i],
    features: features.features[i]!,
  }))
  return { columns, pairwise: features.pairwise, bins: features.bins }
}
