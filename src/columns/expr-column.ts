/**
 * Columns computed from other columns of the same row: `expr` (plus `noise`) and bool `p: { expr }`.
 * The expression is compiled once per column and evaluated over whole blocks of the columns it
 * names (their final blocks, through `other`). `min`/`max` on an `expr` column are checked, not
 * enforced: a value outside them fails generation with the row and the inputs that produced it.
 */
import { toDays } from '../../generators/date.ts'
import { createFill } from '../../generators/distributions.ts'
import { generators } from '../../generators/index.ts'
import type { ColumnDef } from '../../schemas/language.ts'
import type { BlockKind, ColumnBlock } from '../core/blocks.ts'
import { GoldgenError } from '../core/errors.ts'
import { BLOCK_ROWS, blockRng } from '../core/random.ts'
import { formatDate, formatTimestamp } from '../core/text.ts'
import { exprTypeOfColumnType, numericResult, valueAt, vecOfBlock } from '../expr/blocks.ts'
import type { ExprType } from '../expr/check.ts'
import { type CompiledExpr, compileExpr, type Env, type Vec } from '../expr/compile.ts'
import { ExprError } from '../expr/parse.ts'

/** Makes blocks of a column whose values read other columns' final blocks. */
export interface DerivedGenerator {
  block(index: number, length: number, other: (name: string) => ColumnBlock): ColumnBlock
}

/** A planned derived column: what it reads, how it is held, and how to make it for a seed. */
export interface Derived {
  deps: string[]
  kind: BlockKind
  dictionary?: readonly string[] | undefined
  /** Edge-case kinds the column marks itself (a ref's `dangling`), indexed by `block.edge`. */
  edgeKinds?: readonly string[] | undefined
  /** `key` names the column's streams (its name, or a case's key). */
  create(seed: number, key: string): DerivedGenerator
}

export interface DerivedContext {
  /** Path of the column in the schema (for errors), e.g. `['columns', 'risk']`. */
  path: (string | number)[]
  /** Expression type of another column (undefined: no such column). */
  typeOf(name: string): ExprType | undefined
  known: string[]
  issues: { path: (string | number)[]; message: string }[]
}

/** Compiles an expression for a column, reporting problems with the position in the expression. */
export function compileFor(
  text: string,
  want: ExprType[],
  ctx: DerivedContext,
  path: (string | number)[],
): CompiledExpr | undefined {
  try {
    const compiled = compileExpr(text, ctx.typeOf, ctx.known)
    if (!want.includes(compiled.type) && compiled.type !== 'null') {
      ctx.issues.push({
        path,
        message: `the expression gives ${article(compiled.type)}; this needs ${want.map(article).join(' or ')} (in ${JSON.stringify(text)})`,
      })
      return undefined
    }
    return compiled
  } catch (e) {
    if (!(e instanceof ExprError)) throw e
    ctx.issues.push({
      path,
      message: `${e.message}, at character ${e.pos + 1} of the expression ${JSON.stringify(text)}`,
    })
    return undefined
  }
}

const article = (t: ExprType) => (t === 'bool' ? 'a bool' : t === 'null' ? 'null' : `a ${t}`)

/** The environment an expression reads: the named columns' final blocks for one block of rows. */
export function envOf(
  typeOf: (name: string) => ExprType | undefined,
  other: (name: string) => ColumnBlock,
  length: number,
): Env {
  const cache = new Map<string, Vec>()
  return {
    length,
    column(name) {
      let v = cache.get(name)
      if (v === undefined) {
        v = vecOfBlock(other(name), typeOf(name) ?? 'number')
        cache.set(name, v)
      }
      return v
    },
  }
}

function noiseFill(spec: ColumnDef) {
  const noise = 'noise' in spec ? spec.noise : undefined
  if (noise === undefined) return undefined
  if (noise.normal !== undefined)
    return createFill(
      { distribution: { normal: { mean: noise.normal.mean ?? 0, sd: noise.normal.sd } } },
      false,
    )
  if (noise.uniform !== undefined)
    return createFill({ min: noise.uniform.min, max: noise.uniform.max }, false)
  if (noise.lognormal !== undefined)
    return createFill({ distribution: { lognormal: noise.lognormal } }, false)
  return createFill({ distribution: { exponential: noise.exponential! } }, false)
}

const want: Record<string, ExprType[]> = {
  int: ['number'],
  float: ['number'],
  bool: ['bool'],
  string: ['string'],
  category: ['string'],
  date: ['date'],
  datetime: ['datetime'],
}

/** The block kind of an `expr` column. */
function exprKind(spec: ColumnDef): BlockKind {
  const kinds: Record<string, BlockKind> = {
    float: 'float64',
    bool: 'bool',
    string: 'utf8',
    category: 'dict',
    date: 'date32',
    datetime: 'timestamp',
  }
  return spec.type === 'int' ? generators.int.kind(spec) : kinds[spec.type]!
}

/** Bounds an `expr` column's values must stay in, in block units. */
function boundsOf(spec: ColumnDef): [number, number] {
  const b = spec as { min?: number | string; max?: number | string }
  const at = (v: number | string | undefined, none: number) =>
    v === undefined ? none : typeof v === 'number' ? v : spec.type === 'date' ? toDays(v) : Date.parse(v)
  let lo = at(b.min, Number.NEGATIVE_INFINITY)
  let hi = at(b.max, Number.POSITIVE_INFINITY)
  if (exprKind(spec) === 'int32') {
    lo = Math.max(lo, -2147483648)
    hi = Math.min(hi, 2147483647)
  }
  return [lo, hi]
}

/** Plans an `expr` column (with optional `noise`). */
export function planExpr(
  spec: ColumnDef,
  ctx: DerivedContext,
  path: (string | number)[],
): Derived | undefined {
  const text = (spec as { expr: string }).expr
  if (want[spec.type] === undefined) {
    ctx.issues.push({ path: [...path, 'expr'], message: `expr does not apply to ${spec.type} columns` })
    return undefined
  }
  const compiled = compileFor(text, want[spec.type]!, ctx, [...path, 'expr'])
  if (compiled === undefined) return undefined
  const kind = exprKind(spec)
  let dictionary: string[] | undefined
  if (spec.type === 'category') {
    if (spec.values === undefined) {
      ctx.issues.push({
        path: [...path, 'values'],
        message: 'a category column with expr needs values: the values the expression may give',
      })
      return undefined
    }
    dictionary = Array.isArray(spec.values) ? spec.values.map(String) : Object.keys(spec.values)
  }
  const noise = noiseFill(spec)
  const [lo, hi] = boundsOf(spec)
  const precision = spec.type === 'float' ? spec.precision : undefined
  const typeOf = ctx.typeOf
  return {
    deps: compiled.columns,
    kind,
    dictionary,
    create(seed, key) {
      return {
        block(index, length, other) {
          const env = envOf(typeOf, other, length)
          const vec = compiled.evaluate(env)
          const fail = (i: number, got: unknown, what: string) => {
            const inputs = compiled.columns.map((c) => `${c} = ${JSON.stringify(valueAt(env.column(c), i))}`)
            return new GoldgenError(
              'SCHEMA_INVALID',
              `${path.join('.')}: row ${index * BLOCK_ROWS + i}: expr ${JSON.stringify(text)} gave ${JSON.stringify(got)}, ${what}${inputs.length > 0 ? ` (from ${inputs.join(', ')})` : ''}`,
            )
          }
          if (kind === 'utf8' || kind === 'dict') return textBlock(vec, length, dictionary, fail)
          const { values, valid } = numericResult(vec, length)
          if (noise !== undefined) {
            const draws = new Float64Array(length)
            noise(draws, blockRng(seed, key, 'noise', index))
            for (let i = 0; i < length; i++) values[i] = values[i]! + draws[i]!
          }
          return numericBlock(kind, values, valid, { lo, hi, precision }, (i, v) =>
            fail(i, show(kind, v), `outside [${show(kind, lo)}, ${show(kind, hi)}]`),
          )
        },
      }
    },
  }
}

const show = (kind: BlockKind, v: number) =>
  !Number.isFinite(v) ? v : kind === 'date32' ? formatDate(v) : kind === 'timestamp' ? formatTimestamp(v) : v

/** Rounds, checks and stores numeric results as a block of `kind`. */
function numericBlock(
  kind: BlockKind,
  values: Float64Array,
  valid: Uint8Array | undefined,
  { lo, hi, precision }: { lo: number; hi: number; precision: number | undefined },
  fail: (i: number, v: number) => Error,
): ColumnBlock {
  const n = values.length
  const f = precision === undefined ? 0 : 10 ** precision
  for (let i = 0; i < n; i++) {
    if (valid !== undefined && valid[i] === 0) {
      values[i] = 0
      continue
    }
    let v = values[i]!
    if (kind === 'float64') {
      if (f !== 0) v = Math.round(v * f) / f
    } else if (kind === 'date32') v = Math.floor(v)
    else if (kind === 'bool') v = v ? 1 : 0
    else v = Math.round(v)
    if (kind !== 'bool' && (v < lo || v > hi || (kind !== 'float64' && !Number.isFinite(v)))) throw fail(i, v)
    values[i] = v || 0
  }
  const marks = valid === undefined ? {} : { validity: valid }
  switch (kind) {
    case 'int32':
      return { kind, values: Int32Array.from(values), ...marks }
    case 'date32':
      return { kind, values: Int32Array.from(values), ...marks }
    case 'bool':
      return { kind, values: Uint8Array.from(values), ...marks }
    case 'int64':
    case 'timestamp':
      return { kind, values, ...marks }
    default:
      return { kind: 'float64', values, ...marks }
  }
}

function textBlock(
  vec: Vec,
  length: number,
  dictionary: readonly string[] | undefined,
  fail: (i: number, got: unknown, what: string) => Error,
): ColumnBlock {
  const valid = vec.k === 'c' ? (vec.v === null ? new Uint8Array(length) : undefined) : vec.valid
  const text: string[] =
    vec.k === 's' ? vec.v.slice() : new Array<string>(length).fill(vec.k === 'c' ? String(vec.v ?? '') : '')
  const marks = valid === undefined ? {} : { validity: Uint8Array.from(valid) }
  if (dictionary === undefined) {
    if (valid !== undefined) for (let i = 0; i < length; i++) if (valid[i] === 0) text[i] = ''
    return { kind: 'utf8', values: text, ...marks }
  }
  const index = new Map(dictionary.map((v, i) => [v, i]))
  const codes = new Int32Array(length)
  for (let i = 0; i < length; i++) {
    if (valid?.[i] === 0) continue
    const at = index.get(text[i]!)
    if (at === undefined)
      throw fail(i, text[i], `which is not one of the column's values (${dictionary.join(', ')})`)
    codes[i] = at
  }
  return { kind: 'dict', values: codes, dictionary, ...marks }
}

/** Plans a bool column whose `p` is an expression: true when a uniform draw falls below p (clamped to [0, 1]). */
export function planProbability(
  spec: ColumnDef,
  ctx: DerivedContext,
  path: (string | number)[],
): Derived | undefined {
  const text = (spec as { p: { expr: string } }).p.expr
  const compiled = compileFor(text, ['number'], ctx, [...path, 'p', 'expr'])
  if (compiled === undefined) return undefined
  const typeOf = ctx.typeOf
  return {
    deps: compiled.columns,
    kind: 'bool',
    create(seed, key) {
      return {
        block(index, length, other) {
          const { values: p, valid } = numericResult(compiled.evaluate(envOf(typeOf, other, length)), length)
          const rng = blockRng(seed, key, 'p-expr', index)
          const out = new Uint8Array(length)
          let validity = valid
          for (let i = 0; i < length; i++) {
            // One draw per row whatever p is, so a row's value never depends on other rows.
            const u = rng.next()
            if (Number.isNaN(p[i]!)) {
              validity ??= new Uint8Array(length).fill(1)
              validity[i] = 0
            }
            out[i] =
              (validity === undefined || validity[i] === 1) && u < Math.min(1, Math.max(0, p[i]!)) ? 1 : 0
          }
          return validity === undefined
            ? { kind: 'bool', values: out }
            : { kind: 'bool', values: out, validity }
        },
      }
    },
  }
}

export { exprTypeOfColumnType }
