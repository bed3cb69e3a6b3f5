/**
 * Compiling a checked expression once into a tree of vector operations, evaluated over whole
 * column blocks: each operator runs one tight loop over typed arrays (numbers, bools as 0/1,
 * dates as days, date-times as milliseconds) or string arrays, with a validity mask for nulls.
 * A null input makes the result null, except in `coalesce`. Sub-expressions without columns are
 * folded to constants at compile time.
 */
import { checkExpr, type ExprType, type Types } from './check.ts'
import { columnsOf, type Node, parseExpr } from './parse.ts'

/** A column of values: numbers, strings, or a constant; `valid` 0 = null (absent: all valid). */
export type Vec =
  | { k: 'n'; v: Float64Array; valid?: Uint8Array | undefined }
  | { k: 's'; v: string[]; valid?: Uint8Array | undefined }
  | { k: 'c'; v: number | string | null }

/** What an expression reads: the rows' count and the named columns' values for them. */
export interface Env {
  length: number
  column(name: string): Vec
}

export interface CompiledExpr {
  text: string
  type: ExprType
  /** The columns it reads, in order of first use. */
  columns: string[]
  evaluate(env: Env): Vec
}

type Fn = (env: Env) => Vec

/** Parses, checks and compiles an expression. Throws ExprError (with a position). */
export function compileExpr(
  text: string,
  columnType: (name: string) => ExprType | undefined,
  known: string[] = [],
): CompiledExpr {
  const tree = parseExpr(text)
  const types = checkExpr(tree, columnType, known)
  const fn = compileNode(tree, types)
  return { text, type: types.get(tree)!, columns: columnsOf(tree), evaluate: fn }
}

const DAY_MS = 86_400_000

/** The numbers of a vector, materialized to `len` rows. */
export function numbers(x: Vec, len: number): Float64Array {
  if (x.k === 'n') return x.v
  const out = new Float64Array(len)
  if (x.k === 'c' && typeof x.v === 'number') out.fill(x.v)
  return out
}

/** The strings of a vector, materialized to `len` rows. */
function strings(x: Vec, len: number, type: ExprType): string[] {
  if (x.k === 's') return x.v
  if (x.k === 'c') return new Array<string>(len).fill(x.v === null ? '' : String(x.v))
  const out = new Array<string>(len)
  for (let i = 0; i < len; i++) out[i] = type === 'bool' ? (x.v[i] ? 'true' : 'false') : String(x.v[i])
  return out
}

/** The validity mask of a vector (undefined: all valid). */
export function validity(x: Vec, len: number): Uint8Array | undefined {
  if (x.k === 'c') return x.v === null ? new Uint8Array(len) : undefined
  return x.valid
}

function both(a: Uint8Array | undefined, b: Uint8Array | undefined): Uint8Array | undefined {
  if (a === undefined) return b
  if (b === undefined) return a
  const out = new Uint8Array(a.length)
  for (let i = 0; i < a.length; i++) out[i] = a[i]! & b[i]!
  return out
}

function compileNode(node: Node, types: Types): Fn {
  const fn = compileRaw(node, types)
  if (node.type === 'col' || columnsOf(node).length > 0) return fn
  // No columns: evaluate once, keep the constant.
  const one = fn({ length: 1, column: () => ({ k: 'c', v: null }) })
  const nulls = validity(one, 1)?.[0] === 0
  const value =
    one.k === 'c' ? one.v : nulls ? null : one.k === 'n' ? one.v[0]! : (one.v[0] as string | number)
  const constant: Vec = { k: 'c', v: value }
  return () => constant
}

function compileRaw(node: Node, types: Types): Fn {
  switch (node.type) {
    case 'num':
      return () => ({ k: 'c', v: node.value })
    case 'str':
      return () => ({ k: 'c', v: node.value })
    case 'bool':
      return () => ({ k: 'c', v: node.value ? 1 : 0 })
    case 'null':
      return () => ({ k: 'c', v: null })
    case 'col':
      return (env) => env.column(node.name)
    case 'unary': {
      const arg = compileNode(node.arg, types)
      const neg = node.op === '-'
      return (env) => {
        const a = arg(env)
        const x = numbers(a, env.length)
        const out = new Float64Array(env.length)
        if (neg) for (let i = 0; i < out.length; i++) out[i] = -x[i]!
        else for (let i = 0; i < out.length; i++) out[i] = x[i] ? 0 : 1
        return { k: 'n', v: out, valid: validity(a, env.length) }
      }
    }
    case 'cond':
      return compileCond(node, types)
    case 'call':
      return compileCall(node, types)
    case 'binary':
      return compileBinary(node, types)
  }
}

function compileCond(node: Extract<Node, { type: 'cond' }>, types: Types): Fn {
  const test = compileNode(node.test, types)
  const a = compileNode(node.then, types)
  const b = compileNode(node.else, types)
  const type = types.get(node)!
  return (env) => {
    const n = env.length
    const tv = test(env)
    const t = numbers(tv, n)
    const x = a(env)
    const y = b(env)
    const vt = validity(tv, n)
    const vx = validity(x, n)
    const vy = validity(y, n)
    let valid: Uint8Array | undefined
    if (vt !== undefined || vx !== undefined || vy !== undefined) {
      valid = new Uint8Array(n)
      for (let i = 0; i < n; i++) valid[i] = (vt?.[i] ?? 1) & (t[i] ? (vx?.[i] ?? 1) : (vy?.[i] ?? 1))
    }
    if (type === 'string') {
      const xs = strings(x, n, type)
      const ys = strings(y, n, type)
      const out = new Array<string>(n)
      for (let i = 0; i < n; i++) out[i] = t[i] ? xs[i]! : ys[i]!
      return { k: 's', v: out, valid }
    }
    const xs = numbers(x, n)
    const ys = numbers(y, n)
    const out = new Float64Array(n)
    for (let i = 0; i < n; i++) out[i] = t[i] ? xs[i]! : ys[i]!
    return { k: 'n', v: out, valid }
  }
}

function compileBinary(node: Extract<Node, { type: 'binary' }>, types: Types): Fn {
  const left = compileNode(node.left, types)
  const right = compileNode(node.right, types)
  const lt = types.get(node.left)!
  const rt = types.get(node.right)!
  const op = node.op
  const textual = lt === 'string' || rt === 'string'
  if (textual) {
    return (env) => {
      const n = env.length
      const a = left(env)
      const b = right(env)
      const x = strings(a, n, lt)
      const y = strings(b, n, rt)
      const valid = both(validity(a, n), validity(b, n))
      if (op === '+') {
        const out = new Array<string>(n)
        for (let i = 0; i < n; i++) out[i] = x[i]! + y[i]!
        return { k: 's', v: out, valid }
      }
      return { k: 'n', v: compareStrings(op, x, y, n), valid }
    }
  }
  return (env) => {
    const n = env.length
    const a = left(env)
    const b = right(env)
    return {
      k: 'n',
      v: numberOp(op, numbers(a, n), numbers(b, n), n),
      valid: both(validity(a, n), validity(b, n)),
    }
  }
}

function compareStrings(op: string, x: string[], y: string[], n: number): Float64Array {
  const out = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    const a = x[i]!
    const b = y[i]!
    const r =
      op === '=='
        ? a === b
        : op === '!='
          ? a !== b
          : op === '<'
            ? a < b
            : op === '<='
              ? a <= b
              : op === '>'
                ? a > b
                : a >= b
    out[i] = r ? 1 : 0
  }
  return out
}

/** One tight loop per operator. */
function numberOp(op: string, x: Float64Array, y: Float64Array, n: number): Float64Array {
  const o = new Float64Array(n)
  switch (op) {
    case '+':
      for (let i = 0; i < n; i++) o[i] = x[i]! + y[i]!
      break
    case '-':
      for (let i = 0; i < n; i++) o[i] = x[i]! - y[i]!
      break
    case '*':
      for (let i = 0; i < n; i++) o[i] = x[i]! * y[i]!
      break
    case '/':
      for (let i = 0; i < n; i++) o[i] = x[i]! / y[i]!
      break
    case '%':
      for (let i = 0; i < n; i++) o[i] = x[i]! % y[i]!
      break
    case '**':
      for (let i = 0; i < n; i++) o[i] = x[i]! ** y[i]!
      break
    case '<':
      for (let i = 0; i < n; i++) o[i] = x[i]! < y[i]! ? 1 : 0
      break
    case '<=':
      for (let i = 0; i < n; i++) o[i] = x[i]! <= y[i]! ? 1 : 0
      break
    case '>':
      for (let i = 0; i < n; i++) o[i] = x[i]! > y[i]! ? 1 : 0
      break
    case '>=':
      for (let i = 0; i < n; i++) o[i] = x[i]! >= y[i]! ? 1 : 0
      break
    case '==':
      for (let i = 0; i < n; i++) o[i] = x[i]! === y[i]! ? 1 : 0
      break
    case '!=':
      for (let i = 0; i < n; i++) o[i] = x[i]! !== y[i]! ? 1 : 0
      break
    case '&&':
      for (let i = 0; i < n; i++) o[i] = x[i]! && y[i]! ? 1 : 0
      break
    default: // '||'
      for (let i = 0; i < n; i++) o[i] = x[i]! || y[i]! ? 1 : 0
  }
  return o
}

const UNARY: Record<string, (x: number) => number> = {
  abs: Math.abs,
  floor: Math.floor,
  ceil: Math.ceil,
  sqrt: Math.sqrt,
  log: Math.log,
  exp: Math.exp,
  sigmoid: (x) => 1 / (1 + Math.exp(-x)),
}

/** Counts code points (a surrogate pair is one character). */
function codePoints(s: string): number {
  let n = 0
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 0xdc00 || c > 0xdfff) n++
  }
  return n
}

function compileCall(node: Extract<Node, { type: 'call' }>, types: Types): Fn {
  const args = node.args.map((a) => compileNode(a, types))
  const argTypes = node.args.map((a) => types.get(a)!)
  const name = node.name
  return (env) => {
    const n = env.length
    const vs = args.map((a) => a(env))
    if (name === 'coalesce') return coalesce(vs, n, types.get(node)!)
    const valid = vs.reduce<Uint8Array | undefined>((acc, v) => both(acc, validity(v, n)), undefined)
    if (name === 'len' || name === 'lower' || name === 'upper') {
      const s = strings(vs[0]!, n, 'string')
      if (name === 'len') {
        const out = new Float64Array(n)
        for (let i = 0; i < n; i++) out[i] = codePoints(s[i]!)
        return { k: 'n', v: out, valid }
      }
      const out = new Array<string>(n)
      for (let i = 0; i < n; i++) out[i] = name === 'lower' ? s[i]!.toLowerCase() : s[i]!.toUpperCase()
      return { k: 's', v: out, valid }
    }
    const xs = vs.map((v) => numbers(v, n))
    return { k: 'n', v: numericCall(name, xs, argTypes, n), valid }
  }
}

function numericCall(name: string, xs: Float64Array[], argTypes: ExprType[], n: number): Float64Array {
  const x = xs[0]!
  const out = new Float64Array(n)
  const f = UNARY[name]
  if (f !== undefined) {
    for (let i = 0; i < n; i++) out[i] = f(x[i]!)
    return out
  }
  switch (name) {
    case 'round': {
      const k = xs[1]
      for (let i = 0; i < n; i++) {
        const p = 10 ** (k === undefined ? 0 : k[i]!)
        out[i] = Math.round(x[i]! * p) / p
      }
      return out
    }
    case 'pow':
      return numberOp('**', x, xs[1]!, n)
    case 'min':
    case 'max': {
      out.set(x)
      const m = name === 'min' ? Math.min : Math.max
      for (const y of xs.slice(1)) for (let i = 0; i < n; i++) out[i] = m(out[i]!, y[i]!)
      return out
    }
    case 'clamp': {
      const lo = xs[1]!
      const hi = xs[2]!
      for (let i = 0; i < n; i++) out[i] = Math.min(Math.max(x[i]!, lo[i]!), hi[i]!)
      return out
    }
    case 'days_between': {
      const y = xs[1]!
      const fa = argTypes[0] === 'datetime' ? 1 / DAY_MS : 1
      const fb = argTypes[1] === 'datetime' ? 1 / DAY_MS : 1
      for (let i = 0; i < n; i++) out[i] = y[i]! * fb - x[i]! * fa
      return out
    }
    default: {
      // add_days
      const d = xs[1]!
      if (argTypes[0] === 'datetime') for (let i = 0; i < n; i++) out[i] = x[i]! + Math.round(d[i]! * DAY_MS)
      else for (let i = 0; i < n; i++) out[i] = x[i]! + Math.floor(d[i]!)
      return out
    }
  }
}

function coalesce(vs: Vec[], n: number, type: ExprType): Vec {
  const valid = new Uint8Array(n)
  const pick = new Int32Array(n).fill(-1)
  vs.forEach((v, j) => {
    const m = validity(v, n)
    for (let i = 0; i < n; i++) {
      if (pick[i] === -1 && (m === undefined || m[i] === 1)) {
        pick[i] = j
        valid[i] = 1
      }
    }
  })
  if (type === 'string') {
    const ss = vs.map((v) => strings(v, n, type))
    const out = new Array<string>(n)
    for (let i = 0; i < n; i++) out[i] = pick[i]! >= 0 ? ss[pick[i]!]![i]! : ''
    return { k: 's', v: out, valid }
  }
  const xs = vs.map((v) => numbers(v, n))
  const out = new Float64Array(n)
  for (let i = 0; i < n; i++) out[i] = pick[i]! >= 0 ? xs[pick[i]!]![i]! : 0
  return { k: 'n', v: out, valid }
}
