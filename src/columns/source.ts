/**
 * The `columns` row source: each column's generator makes a block, the row features are applied
 * to it, and the final block is kept (one per column), so reading rows in order makes every
 * block once and memory stays one block per column whatever the row count. Columns named in
 * another's `when` are made first, from the same cache. With `--tags`, a last column lists each
 * row's edge-case kinds and missing values.
 */
import type { DatasetDef } from '../../schemas/language.ts'
import { arrowTypeNames, type ColumnBlock } from '../core/blocks.ts'
import type { OpenedSource, PlannedSource, SourceColumn } from '../engine/source.ts'
import { defineRowSource } from '../engine/source.ts'
import { createCoverageAccumulator } from '../features/coverage-report.ts'
import { applyFeatures } from '../features/index.ts'
import type { DerivedGenerator } from './derived.ts'
import { type ColumnsPlan, type PlannedColumn, planColumns } from './plan.ts'

/** The name of the optional tags column. */
export const TAGS_COLUMN = '_goldgen_tags'

/** A planned `columns` source, with the column plans that other modules (negative rows) read. */
export interface ColumnsSource extends PlannedSource {
  kind: 'columns'
  plan: ColumnsPlan
}

/** Whether a planned source is a `columns` one. */
export const isColumnsSource = (s: PlannedSource): s is ColumnsSource => s.kind === 'columns'

function describe(c: PlannedColumn): SourceColumn {
  const as = c.features.missing?.as
  return {
    name: c.name,
    kind: c.kind,
    dictionary: c.dictionary,
    edgeKinds: c.features.edge?.pool.kinds ?? c.derived?.edgeKinds,
    describe: {
      type: c.spec.type,
      generator: { type: c.plugin.type, version: c.plugin.versionOf?.(c.spec as never) ?? c.plugin.version },
      arrowType: arrowTypeNames[c.kind as Exclude<typeof c.kind, 'json'>],
      ...(as !== undefined ? { missingAs: c.kind === 'dict' ? c.dictionary![as as number]! : as } : {}),
    },
  }
}

function open(plan: ColumnsPlan, tags: boolean, seed: number): OpenedSource {
  const columns = plan.columns
  const index = new Map(columns.map((c, i) => [c.name, i]))
  // Stream keys: the column's name (`<table>.<name>` in a `tables` schema).
  const keys = columns.map((c) => c.key ?? c.name)
  const generators = columns.map((c, i): DerivedGenerator => {
    if (c.derived !== undefined) return c.derived.create(seed, keys[i]!)
    const g = c.plugin.create!(c.spec as never, { seed, column: keys[i]! })
    return { block: (index, length) => g.block(index, length) }
  })
  const cached = columns.map(() => ({ index: -1, block: undefined as ColumnBlock | undefined }))
  let tagged: { index: number; block: ColumnBlock } | undefined

  const finalBlock = (c: number, b: number, length: number): ColumnBlock => {
    const cache = cached[c]!
    if (cache.index !== b || cache.block === undefined) {
      const column = columns[c]!
      const other = (name: string) => finalBlock(index.get(name)!, b, length)
      const generated = generators[c]!.block(b, length, other)
      // Category blocks index the planned dictionary, which edge cases and sentinels may extend.
      if (generated.kind === 'dict' && column.dictionary !== undefined)
        generated.dictionary = column.dictionary
      cache.block = applyFeatures(generated, column.features, {
        seed,
        column: keys[c]!,
        index: b,
        other,
      })
      cache.index = b
    }
    return cache.block
  }
  return {
    block(c, b, length) {
      if (c < columns.length) return finalBlock(c, b, length)
      if (!tags || c !== columns.length) throw new RangeError(`no output column ${c}`)
      if (tagged?.index !== b) {
        tagged = { index: b, block: tagsBlock(columns, (i) => finalBlock(i, b, length), length) }
      }
      return tagged.block
    },
  }
}

/** `column:kind` for each edge case and `column:missing` for each missing value, comma-separated per row. */
function tagsBlock(columns: PlannedColumn[], block: (c: number) => ColumnBlock, length: number): ColumnBlock {
  const tags: string[] = new Array(length).fill('')
  columns.forEach((column, c) => {
    const { edge, missing } = block(c)
    const kinds = column.features.edge?.pool.kinds ?? column.derived?.edgeKinds
    if (edge === undefined && missing === undefined) return
    for (let i = 0; i < length; i++) {
      const e = edge?.[i] ?? -1
      if (e >= 0) tags[i] += `${tags[i] === '' ? '' : ','}${column.name}:${kinds![e]}`
      if (missing?.[i] === 1) tags[i] += `${tags[i] === '' ? '' : ','}${column.name}:missing`
    }
  })
  return { kind: 'utf8', values: tags }
}

/** Schemas with `columns` (the default kind). */
export const columnsRowSource = defineRowSource({
  name: 'columns',
  claims: (def: DatasetDef) => def.records === undefined && def.model === undefined,
  tags: true,
  plan: (def, ctx): ColumnsSource =>
    columnsSource(def, planColumns(def, ctx.seed, ctx.total, ctx.source), ctx.tags),
})

/** The row source of planned columns (a table of a `tables` schema plans its own columns first). */
export function columnsSource(def: DatasetDef, plan: ColumnsPlan, tags: boolean): ColumnsSource {
  const columns = plan.columns.map(describe)
  if (tags) columns.push({ name: TAGS_COLUMN, kind: 'utf8' })
  return {
    kind: 'columns',
    plan,
    columns,
    open: (seed) => open(plan, tags, seed),
    observe: () => createCoverageAccumulator({ def, ...plan }),
  }
}
