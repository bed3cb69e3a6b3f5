/**
 * `sequence`: values that increase within each group of rows (a child table's rows of one parent
 * row; the whole table without a parent). A group starts at a value drawn per group (stream
 * "sequence-start", by group index) and each later row adds a gap drawn per row (stream
 * "sequence-gap"); `strict: true` makes every gap at least one unit. A block that continues a
 * group carries the last value of the block before it (kept per block, so reading in order makes
 * each block once).
 */
import { toDays } from '../../generators/date.ts'
import { createFill, type Fill, type NumericSpec } from '../../generators/distributions.ts'
import type { ColumnDef } from '../../schemas/language.ts'
import type { BlockKind, ColumnBlock } from '../core/blocks.ts'
import { BLOCK_ROWS, blockRng } from '../core/random.ts'
import type { Derived, DerivedContext } from './expr-column.ts'

/** How a table's rows fall into groups (its parent's rows). */
export interface Groups {
  /** For rows of block `index`: each row's group and whether it is the first row of its group. */
  block(index: number, length: number): { group: Float64Array; first: Uint8Array }
}

type Law = Record<string, Record<string, number> | undefined>
interface SequenceSpec {
  start: { min: number | string; max: number | string } | Law
  gap: Law
  strict?: boolean
}

/** A distribution of the sequence keys as the samplers take it. */
function lawSpec(law: Law, nonNegative: boolean): NumericSpec {
  const [name, params] = Object.entries(law).find(([, v]) => v !== undefined)!
  if (name === 'uniform') return { min: params!.min, max: params!.max }
  return { ...(nonNegative ? { min: 0 } : {}), distribution: { [name]: params } }
}

/** Plans a sequence column. */
export function planSequence(
  spec: ColumnDef,
  ctx: DerivedContext,
  groups: Groups | undefined,
): Derived | undefined {
  const seq = (spec as { sequence: SequenceSpec }).sequence
  const path = [...ctx.path, 'sequence']
  const temporal = spec.type === 'date' || spec.type === 'datetime'
  const parse = (v: number | string, at: string): number | undefined => {
    const x =
      typeof v === 'number' ? (temporal ? Number.NaN : v) : spec.type === 'date' ? toDays(v) : Date.parse(v)
    if (Number.isNaN(x) || (typeof v === 'string' && !temporal)) {
      ctx.issues.push({
        path: [...path, 'start', at],
        message: `expected ${temporal ? `an ISO ${spec.type}` : 'a number'}, got ${JSON.stringify(v)}`,
      })
      return undefined
    }
    return x
  }
  let startFill: Fill
  if ('min' in seq.start && 'max' in seq.start) {
    const lo = parse(seq.start.min as number | string, 'min')
    const hi = parse(seq.start.max as number | string, 'max')
    if (lo === undefined || hi === undefined) return undefined
    if (lo > hi) {
      ctx.issues.push({ path: [...path, 'start'], message: 'start.min must not be greater than start.max' })
      return undefined
    }
    startFill = createFill({ min: lo, max: hi }, spec.type === 'int' || spec.type === 'date')
  } else if (temporal) {
    ctx.issues.push({
      path: [...path, 'start'],
      message: `a ${spec.type} sequence starts in a range: start: { min, max }`,
    })
    return undefined
  } else startFill = createFill(lawSpec(seq.start as Law, false), spec.type === 'int')
  const gapSpec = lawSpec(seq.gap, true)
  if ((gapSpec.min ?? 0) < 0) {
    ctx.issues.push({ path: [...path, 'gap'], message: 'gaps must not be negative (uniform min ≥ 0)' })
    return undefined
  }
  const gapFill = createFill(gapSpec, false)
  const kinds: Record<string, BlockKind> = {
    int: 'int64',
    float: 'float64',
    date: 'date32',
    datetime: 'timestamp',
  }
  const kind = kinds[spec.type]!
  const scale = spec.type === 'datetime' ? 1000 : 1
  const whole = kind !== 'float64'
  const strict = seq.strict === true
  return {
    deps: [],
    kind,
    create(seed, key) {
      const last = new Map<number, number>()
      let startBlock = { index: -1, values: new Float64Array(0) }
      const startOf = (g: number) => {
        const gb = Math.floor(g / BLOCK_ROWS)
        if (startBlock.index !== gb) {
          const values = new Float64Array(BLOCK_ROWS)
          startFill(values, blockRng(seed, key, 'sequence-start', gb))
          startBlock = { index: gb, values }
        }
        const v = startBlock.values[g - gb * BLOCK_ROWS]!
        return whole ? Math.round(v) : v
      }
      const make = (index: number, length: number): Float64Array => {
        const { group, first } = groups?.block(index, length) ?? single(index, length)
        const gaps = new Float64Array(length)
        gapFill(gaps, blockRng(seed, key, 'sequence-gap', index))
        const out = new Float64Array(length)
        let prev = first[0] === 1 ? 0 : carry(index)
        for (let i = 0; i < length; i++) {
          if (first[i] === 1) prev = startOf(group[i]!)
          else {
            let gap = gaps[i]! * scale
            if (whole) gap = Math.round(gap)
            if (strict && !(gap > 0))
              gap = whole ? 1 : Math.max(Math.abs(prev) * Number.EPSILON, Number.MIN_VALUE)
            prev += gap
          }
          out[i] = prev
        }
        last.set(index, prev)
        return out
      }
      const carry = (index: number): number => {
        const known = last.get(index - 1)
        if (known !== undefined) return known
        make(index - 1, BLOCK_ROWS)
        return last.get(index - 1)!
      }
      return {
        block(index, length): ColumnBlock {
          const values = make(index, length)
          if (kind === 'date32') return { kind, values: Int32Array.from(values) }
          return { kind, values } as ColumnBlock
        },
      }
    },
  }
}

/** One group over the whole table. */
function single(index: number, length: number): { group: Float64Array; first: Uint8Array } {
  const first = new Uint8Array(length)
  if (index === 0 && length > 0) first[0] = 1
  return { group: new Float64Array(length), first }
}
