/**
 * `ref` and `lookup` columns. A ref picks a row of the referenced table for each of its rows —
 * towards the parent the parent row, otherwise uniformly (stream "ref") or by key rank with
 * `zipf` — and writes that row's key; `dangling` edge cases (stream "dangling") write keys that
 * exist nowhere in the referenced table. A lookup writes another column of the row its ref
 * picked (null where the ref is null or dangling). Referenced tables are read through `Tables`,
 * one opened copy per run with its blocks kept.
 */
import { createFill } from '../../generators/distributions.ts'
import type { ColumnOf } from '../../schemas/language.ts'
import type { Derived, Groups } from '../columns/derived.ts'
import type { ColumnBlock } from '../core/blocks.ts'
import { BLOCK_ROWS, blockRng } from '../core/random.ts'
import type { OpenedSource, PlannedSource } from '../engine/source.ts'
import { pickRows } from '../features/placement.ts'
import { KeySet } from './keys.ts'

/** What a planned table offers to the tables that refer to it. */
export interface TableInfo {
  name: string
  total: number
  source: PlannedSource
  /** The default key column (its `id` column, or its one `unique` column). */
  key: string | undefined
}

/** The planned tables of a schema, opened once per seed for reading referenced rows. */
export class Tables {
  readonly info = new Map<string, TableInfo>()
  private readonly keySets = new Map<string, KeySet>()
  private readonly runs = new Map<
    number,
    Map<string, { opened: OpenedSource; blocks: Map<string, ColumnBlock> }>
  >()

  /** Block `b` of a column of a planned table, for a seed (blocks are kept for the run). */
  block(seed: number, table: string, column: string, b: number): ColumnBlock {
    let run = this.runs.get(seed)
    if (run === undefined) {
      run = new Map()
      this.runs.set(seed, run)
    }
    const info = this.info.get(table)!
    let t = run.get(table)
    if (t === undefined) {
      t = { opened: info.source.open(seed, info.total), blocks: new Map() }
      run.set(table, t)
    }
    const id = `${column}\0${b}`
    let block = t.blocks.get(id)
    if (block === undefined) {
      const c = info.source.columns.findIndex((x) => x.name === column)
      block = t.opened.block(c, b, Math.min(BLOCK_ROWS, info.total - b * BLOCK_ROWS))
      t.blocks.set(id, block)
    }
    return block
  }

  /** Every key of a column, for integrity checks and dangling keys. */
  keys(seed: number, table: string, column: string): KeySet {
    const id = `${seed}\0${table}\0${column}`
    const known = this.keySets.get(id)
    if (known !== undefined) return known
    const info = this.info.get(table)!
    const blocks: ColumnBlock[] = []
    for (let b = 0; b * BLOCK_ROWS < info.total; b++) blocks.push(this.block(seed, table, column, b))
    const out = KeySet.of(blocks)
    this.keySets.set(id, out)
    return out
  }
}

/** Row i of a block as a comparable plain value (dictionary codes as their text). */
export function plain(block: ColumnBlock, i: number): string | number {
  if (block.kind === 'dict') return block.dictionary[block.values[i]!]!
  return block.values[i] as string | number
}

/** Gathers rows `rows` (-1 = null) of a column of a referenced table into a block of the same kind. */
export function gather(
  tables: Tables,
  seed: number,
  table: string,
  column: string,
  rows: Float64Array,
  nulls: Uint8Array | undefined,
): ColumnBlock {
  const n = rows.length
  let validity: Uint8Array | undefined
  const first = tables.block(seed, table, column, 0)
  const text = first.kind === 'utf8' || first.kind === 'json'
  const values: ArrayLike<unknown> & { [i: number]: unknown } = text
    ? new Array<unknown>(n).fill(first.kind === 'utf8' ? '' : null)
    : new (first.values.constructor as new (n: number) => Float64Array)(n)
  // Rows of one referenced block at a time, each with that block's values and marks at hand.
  let current = -1
  let block = first
  let lo = 0
  let hi = 0
  let marked = false
  let i = 0
  while (i < n) {
    const r = rows[i]!
    if (r < 0 || nulls?.[i] === 1) {
      validity ??= new Uint8Array(n).fill(1)
      validity[i] = 0
      i++
      continue
    }
    const b = Math.floor(r / BLOCK_ROWS)
    if (b !== current) {
      block = tables.block(seed, table, column, b)
      current = b
      lo = b * BLOCK_ROWS
      hi = lo + block.values.length
      marked = block.validity !== undefined || block.missing !== undefined
    }
    const src = block.values as ArrayLike<unknown>
    if (!marked && nulls === undefined && !text) {
      i = copyRows(values as Float64Array, src as Float64Array, rows, i, lo, hi)
      continue
    }
    for (; i < n; i++) {
      const r = rows[i]!
      if (r < lo || r >= hi) break
      const j = r - lo
      if (nulls?.[i] === 1) {
        validity ??= new Uint8Array(n).fill(1)
        validity[i] = 0
        continue
      }
      values[i] = src[j]
      if (marked && (block.validity?.[j] === 0 || block.missing?.[j] === 1)) {
        validity ??= new Uint8Array(n).fill(1)
        validity[i] = 0
      }
    }
  }
  const out = { ...first, values, validity } as ColumnBlock
  delete out.missing
  delete out.edge
  return out
}

/** Copies `src[rows[i] − lo]` while rows[i] stays in [lo, hi); returns the first i past them. */
function copyRows(
  out: Float64Array,
  src: Float64Array,
  rows: Float64Array,
  from: number,
  lo: number,
  hi: number,
): number {
  const n = rows.length
  let i = from
  for (; i < n; i++) {
    const r = rows[i]!
    if (r < lo || r >= hi) break
    out[i] = src[r - lo]!
  }
  return i
}

export interface RefPlan {
  derived: Derived
  /** The referenced table and key column. */
  table: string
  column: string
  /** Referenced rows of block `index` (the same ones the ref's values come from). */
  rows(seed: number, index: number, length: number): Float64Array
}

interface RefInput {
  spec: ColumnOf<'ref'>
  key: string
  target: TableInfo
  column: string
  /** The table's groups when the ref points to its parent. */
  parent: Groups | undefined
  total: number
  tables: Tables
  /** Dangling edge cases: rate, and rows placed by `mode: all`. */
  dangling: { rate: number; forced: Set<number> } | undefined
  seed: number
}

/** Plans a ref column. */
export function planRef(input: RefInput): RefPlan {
  const { spec, target, column, parent, tables } = input
  const n = target.total
  const zipf = spec.distribution?.zipf
  const fill =
    zipf !== undefined && n > 0 ? createFill({ distribution: { zipf: { s: zipf.s, n } } }, true) : undefined
  let memo: { seed: number; index: number; rows: Float64Array } | undefined
  const rows = (seed: number, index: number, length: number): Float64Array => {
    if (memo?.seed === seed && memo.index === index && memo.rows.length === length) return memo.rows
    let out: Float64Array
    // A fresh array per call (groupsOf makes one), read only from here on.
    if (parent !== undefined) out = parent.block(index, length).group
    else if (fill !== undefined) {
      const ranks = new Int32Array(length)
      fill(ranks, blockRng(seed, input.key, 'ref', index))
      out = Float64Array.from(ranks, (r) => r - 1)
    } else {
      const rng = blockRng(seed, input.key, 'ref', index)
      out = new Float64Array(length)
      for (let i = 0; i < length; i++) out[i] = n > 0 ? rng.below(n) : -1
    }
    memo = { seed, index, rows: out }
    return out
  }
  const keyKind = target.source.columns.find((c) => c.name === column)!
  const derived: Derived = {
    deps: [],
    kind: keyKind.kind as Derived['kind'],
    dictionary: keyKind.dictionary,
    edgeKinds: input.dangling === undefined ? undefined : ['dangling'],
    create(seed, key) {
      let fresh: (row: number) => string | number = () => 0
      let ready = false
      return {
        block(index, length) {
          const block = gather(tables, seed, target.name, column, rows(seed, index, length), undefined)
          const d = input.dangling
          if (d === undefined) return block
          if (!ready) {
            fresh = danglingKeys(tables.keys(seed, target.name, column))
            ready = true
          }
          const rng = blockRng(seed, key, 'dangling', index)
          const edge = new Int8Array(length).fill(-1)
          const start = index * BLOCK_ROWS
          for (let i = 0; i < length; i++) {
            const u = rng.next()
            if (u < d.rate || d.forced.has(start + i)) {
              edge[i] = 0
              ;(block.values as unknown as (string | number)[])[i] = fresh(start + i)
              if (block.validity !== undefined) block.validity[i] = 1
            }
          }
          block.edge = edge
          return block
        },
      }
    },
  }
  return { derived, table: target.name, column, rows }
}

/** Keys that are not in `keys`: numbers above the largest, or text no key has. */
function danglingKeys(keys: KeySet): (row: number) => string | number {
  if (keys.numeric) {
    const max = keys.max
    const base = Number.isFinite(max) ? Math.floor(max) + 1 : 1
    return (row) => base + (row % 1000)
  }
  return (row) => {
    let s = `~dangling-${row}`
    while (keys.has(s)) s = `~${s}`
    return s
  }
}

/** Where `mode: all` puts a ref's one dangling key. */
export function danglingRows(total: number, seed: number, key: string, all: boolean): Set<number> {
  return all && total > 0 ? new Set(pickRows(total, 1, seed, key, 'dangling-all', new Set())) : new Set()
}

/** Plans a lookup column: `column` of the row that ref `ref` picked. */
export function planLookup(ref: RefPlan, refColumn: string, column: string, tables: Tables): Derived {
  const target = tables.info.get(ref.table)!
  const out = target.source.columns.find((c) => c.name === column)!
  return {
    deps: [refColumn],
    kind: out.kind as Derived['kind'],
    dictionary: out.dictionary,
    create(seed) {
      return {
        block(index, length, other) {
          const r = other(refColumn)
          let nulls: Uint8Array | undefined
          if (r.validity !== undefined || r.missing !== undefined || r.edge !== undefined) {
            nulls = new Uint8Array(length)
            for (let i = 0; i < length; i++) {
              if (r.validity?.[i] === 0 || r.missing?.[i] === 1 || (r.edge?.[i] ?? -1) >= 0) nulls[i] = 1
            }
          }
          return gather(tables, seed, ref.table, column, ref.rows(seed, index, length), nulls)
        },
      }
    },
  }
}
