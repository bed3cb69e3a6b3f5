/**
 * The one interface the engine runs: a row source. Each kind of schema (columns, JSON Schema
 * records, fitted models) plans itself into a `PlannedSource`: its output columns and a way to
 * make any block of any column. The engine slices and joins blocks, encodes and measures them;
 * it never names a kind.
 */
import type { DatasetDef } from '../../schemas/language.ts'
import type { Locator } from '../../schemas/parse.ts'
import type { ColumnBlock } from '../core/blocks.ts'
import type { FormatColumn } from '../formats/types.ts'

/** Where a definition came from, for error messages. */
export interface SourceInfo {
  file?: string | undefined
  locate?: Locator | undefined
}

/** A column's manifest entry, without the statistics measured while writing. */
export interface ColumnDescription {
  type: string
  generator: { type: string; version: number }
  arrowType: string
  /** The sentinel that stands for a missing value, when `missing.as` is set. */
  missingAs?: string | number
}

/** One output column of a source. */
export interface SourceColumn extends FormatColumn {
  /** Edge-case kinds the column's `block.edge` indexes, for statistics. */
  edgeKinds?: readonly string[] | undefined
  /** Its manifest entry; columns without one (the tags column) get no statistics. */
  describe?: ColumnDescription | undefined
}

/** What a source adds to the manifest after a run (with the figures the run gathered). */
export interface RunFigures {
  /** Draws that failed a final check and were drawn again (record sources). */
  rejected?: number | undefined
}

/** Gathers facts about the written rows, a chunk at a time (coverage). */
export interface SourceObserver {
  add(blocks: ColumnBlock[]): void
  result(stats: Record<string, { valueCounts?: Record<string, number> | undefined }>): unknown
}

/** A source opened for a run: it makes final blocks on demand. */
export interface OpenedSource {
  /** Block `index` (rows index * BLOCK_ROWS …, `length` of them) of output column `column`. */
  block(column: number, index: number, length: number): ColumnBlock
  /** Draws that failed a final check so far (record sources). */
  rejected?: () => number
}

export interface PlannedSource {
  /** The kind that planned it (`columns`, `records`, `model`). */
  kind: string
  columns: SourceColumn[]
  /** Opens the source for a seed over a dataset of `total` rows (blocks are laid from row 0). */
  open(seed: number, total: number): OpenedSource
  /** Facts gathered over the written rows, reported in the manifest's `coverage`. */
  observe?(): SourceObserver
  /** What made the rows, for sources that are not plain columns (e.g. `{ from: 'json-schema', draft, pointer }`). */
  info?: Record<string, string> | undefined
  /** Keys this source adds to the manifest (e.g. `records`). */
  manifest?(figures: RunFigures): Record<string, unknown>
}

/** What a kind is given to plan. */
export interface PlanContext {
  seed: number
  total: number
  /** `--tags`: add the `_goldgen_tags` column. */
  tags: boolean
  source: SourceInfo
}

/** A kind of schema the engine can run. */
export interface RowSourceKind {
  name: string
  /** Whether a definition is of this kind (the first kind that claims it plans it). */
  claims(def: DatasetDef): boolean
  /** Whether `--tags` means anything for it. */
  tags: boolean
  plan(def: DatasetDef, ctx: PlanContext): PlannedSource
}

/** Identity helper that types a row-source kind. */
export function defineRowSource(kind: RowSourceKind): RowSourceKind {
  return kind
}
