/** What the row features share: the column they are planned for, their problems, and how they are applied. */

import type { ColumnDef } from '../../schemas/language.ts'
import type { BlockKind, ColumnBlock } from '../core/blocks.ts'

/** A semantic problem, with a path from the schema's root. */
export interface FeatureIssue {
  path: (string | number)[]
  message: string
}

/** A column as the features see it while planning. */
export interface FeatureColumn {
  name: string
  /** The column's stream key when it differs from its name (`<table>.<name>` in a `tables` schema). */
  key?: string | undefined
  spec: ColumnDef
  kind: BlockKind
  dictionary?: readonly string[] | undefined
}

export interface ApplyContext {
  seed: number
  column: string
  /** Block index: the block covers rows [index * BLOCK_ROWS, …). */
  index: number
  /** Final blocks of the columns that `when` names, for the same block index. */
  other: (column: string) => ColumnBlock
}

export const isNumericKind = (k: BlockKind) => k === 'int32' || k === 'int64' || k === 'float64'
