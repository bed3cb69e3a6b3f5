/**
 * The small interface every column generator implements, and the column blocks they fill.
 * Generators are plain objects made with `defineGenerator`; they do no I/O.
 */
import type { ColumnOf, ColumnType } from '../schemas/language.ts'

/** How a column's values are held in memory (and which Arrow type they become). */
export type BlockKind =
  | 'int32'
  | 'int64'
  | 'float64'
  | 'bool'
  | 'date32'
  | 'timestamp'
  | 'dict'
  | 'utf8'
  | 'json'

interface BlockBase {
  /** 1 = valid, 0 = null; absent when every value is valid. */
  validity?: Uint8Array | undefined
  /** 1 = missing (a null, or a sentinel written with `missing.as`); absent when nothing is missing. */
  missing?: Uint8Array | undefined
  /** Edge-case kind per row as an index into the column's pool (-1 = none); absent when there are none. */
  edge?: Int8Array | undefined
}
/** A run of one column's values: typed arrays for numbers, indices for categories. */
export type ColumnBlock = BlockBase &
  (
    | { kind: 'int32'; values: Int32Array }
    | { kind: 'int64'; values: Float64Array } // safe integers; widened to Int64 at the Arrow edge
    | { kind: 'float64'; values: Float64Array }
    | { kind: 'bool'; values: Uint8Array }
    | { kind: 'date32'; values: Int32Array } // days since 1970-01-01
    | { kind: 'timestamp'; values: Float64Array } // milliseconds since the epoch, UTC
    | { kind: 'dict'; values: Int32Array; dictionary: readonly string[] }
    | { kind: 'utf8'; values: string[] }
    | { kind: 'json'; values: unknown[] } // JSON values of records; undefined = left out of the record
  )

/** A problem with a column spec, relative to the column (e.g. `['distribution', 'normal', 'sd']`). */
export interface SpecIssue {
  path: (string | number)[]
  message: string
}

export interface CheckContext {
  /** Rows that will be generated (offset + rows), for feasibility checks such as `unique`. */
  rows: number
}

export interface CreateContext {
  seed: number
  /** The column name: part of every stream key. */
  column: string
}

/** Makes one block of a column: rows [block * BLOCK_ROWS, block * BLOCK_ROWS + length). */
export interface ColumnGenerator {
  block(index: number, length: number): ColumnBlock
}

export interface GeneratorPlugin<T extends ColumnType = ColumnType> {
  type: T
  /** Bump when the values this generator makes for a given spec and seed change. */
  version: number
  kind(spec: ColumnOf<T>): BlockKind
  /** Semantic checks the language cannot express (min ≤ max, feasibility of unique, …). */
  check?(spec: ColumnOf<T>, ctx: CheckContext): SpecIssue[]
  create(spec: ColumnOf<T>, ctx: CreateContext): ColumnGenerator
  /** The dictionary of a `dict` column, fixed for the whole dataset. */
  dictionary?(spec: ColumnOf<T>): readonly string[]
}

/** Identity helper that types a generator plugin. */
export function defineGenerator<T extends ColumnType>(plugin: GeneratorPlugin<T>): GeneratorPlugin<T> {
  return plugin
}
