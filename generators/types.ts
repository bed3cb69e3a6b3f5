/**
 * The small interface every column generator implements, and the column blocks they fill.
 * Generators are plain objects made with `defineGenerator`; they do no I/O.
 */
import type { ColumnOf, ColumnType } from '../schemas/language.ts'
import type { BlockKind, ColumnBlock } from '../src/core/blocks.ts'

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
  /** The version a spec selects, for generators whose older versions stay selectable (default: `version`). */
  versionOf?(spec: ColumnOf<T>): number
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
