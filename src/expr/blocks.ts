/**
 * Between column blocks and expression vectors: what type a column has inside an expression, the
 * vector a final block reads as (missing values and nulls are null), and the block an expression's
 * result becomes for a column kind.
 */
import type { BlockKind, ColumnBlock } from '../core/blocks.ts'
import type { ExprType } from './check.ts'
import { numbers, type Vec, validity } from './compile.ts'

/** The expression type of a column type (undefined: it cannot be read by expressions). */
export function exprTypeOfColumnType(type: string): ExprType | undefined {
  switch (type) {
    case 'id':
    case 'int':
    case 'float':
      return 'number'
    case 'bool':
      return 'bool'
    case 'category':
    case 'string':
    case 'faker':
    case 'uuid':
      return 'string'
    case 'date':
      return 'date'
    case 'datetime':
      return 'datetime'
    default:
      return undefined
  }
}

/** The expression type of a block kind. */
export function exprTypeOfKind(kind: BlockKind): ExprType {
  switch (kind) {
    case 'bool':
      return 'bool'
    case 'date32':
      return 'date'
    case 'timestamp':
      return 'datetime'
    case 'dict':
    case 'utf8':
    case 'json':
      return 'string'
    default:
      return 'number'
  }
}

/** A final block as an expression reads it (values shared, not copied, where they are Float64). */
export function vecOfBlock(block: ColumnBlock, type: ExprType): Vec {
  let valid = block.validity
  if (block.missing !== undefined) {
    valid = new Uint8Array(block.missing.length)
    for (let i = 0; i < valid.length; i++) valid[i] = (block.validity?.[i] ?? 1) & (1 - block.missing[i]!)
  }
  switch (block.kind) {
    case 'dict': {
      const d = block.dictionary
      const out = new Array<string>(block.values.length)
      for (let i = 0; i < out.length; i++) out[i] = d[block.values[i]!]!
      return { k: 's', v: out, valid }
    }
    case 'utf8':
      // A numeric column written as text (a string sentinel): its other rows are numbers.
      if (type !== 'string') return { k: 'n', v: Float64Array.from(block.values, Number), valid }
      return { k: 's', v: block.values, valid }
    case 'json':
      return { k: 's', v: block.values.map((v) => String(v)), valid }
    case 'float64':
    case 'int64':
    case 'timestamp':
      return { k: 'n', v: block.values, valid }
    default:
      return { k: 'n', v: Float64Array.from(block.values), valid }
  }
}

/** Row i of a vector as a plain value, for error messages. */
export function valueAt(vec: Vec, i: number): string | number | null {
  if (vec.k === 'c') return vec.v
  if (vec.valid?.[i] === 0) return null
  return vec.v[i]!
}

/** A copy of a vector's numbers for `length` rows, and its validity. */
export function numericResult(
  vec: Vec,
  length: number,
): { values: Float64Array; valid: Uint8Array | undefined } {
  const values = Float64Array.from(numbers(vec, length))
  const valid = validity(vec, length)
  return { values, valid: valid === undefined ? undefined : Uint8Array.from(valid) }
}
