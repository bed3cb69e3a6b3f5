/**
 * Type checking of expressions, once, when a schema is loaded: every node gets a type (number,
 * bool, string, date, datetime, or null for the `null` literal), unknown columns and functions,
 * wrong argument counts and type mismatches are errors with the position of the node.
 */
import { ExprError, type Node } from './parse.ts'

export type ExprType = 'number' | 'bool' | 'string' | 'date' | 'datetime' | 'null'

/** A function's arity and result type given its argument types (undefined = a type mismatch). */
interface FunctionSig {
  min: number
  max: number
  result(args: ExprType[]): ExprType | undefined
  expects: string
}

const num1: FunctionSig = {
  min: 1,
  max: 1,
  result: ([a]) => (a === 'number' ? 'number' : undefined),
  expects: 'a number',
}
const sameOrdered = (args: ExprType[]): ExprType | undefined => {
  const t = args.find((a) => a !== 'null') ?? 'null'
  if (!['number', 'date', 'datetime', 'null'].includes(t)) return undefined
  return args.every((a) => a === t || a === 'null') ? t : undefined
}

export const FUNCTIONS: Record<string, FunctionSig> = {
  abs: num1,
  floor: num1,
  ceil: num1,
  sqrt: num1,
  log: num1,
  exp: num1,
  sigmoid: num1,
  round: {
    min: 1,
    max: 2,
    result: (a) => (a.every((t) => t === 'number') ? 'number' : undefined),
    expects: 'a number and optional decimals',
  },
  pow: {
    min: 2,
    max: 2,
    result: (a) => (a.every((t) => t === 'number') ? 'number' : undefined),
    expects: 'two numbers',
  },
  min: { min: 2, max: 16, result: sameOrdered, expects: 'numbers (or dates) of one type' },
  max: { min: 2, max: 16, result: sameOrdered, expects: 'numbers (or dates) of one type' },
  clamp: {
    min: 3,
    max: 3,
    result: (a) => (a.every((t) => t === 'number') ? 'number' : undefined),
    expects: 'three numbers (x, lo, hi)',
  },
  coalesce: {
    min: 2,
    max: 16,
    result: (args) => {
      const t = args.find((a) => a !== 'null') ?? 'null'
      return args.every((a) => a === t || a === 'null') ? t : undefined
    },
    expects: 'values of one type',
  },
  len: { min: 1, max: 1, result: ([a]) => (a === 'string' ? 'number' : undefined), expects: 'a string' },
  lower: { min: 1, max: 1, result: ([a]) => (a === 'string' ? 'string' : undefined), expects: 'a string' },
  upper: { min: 1, max: 1, result: ([a]) => (a === 'string' ? 'string' : undefined), expects: 'a string' },
  days_between: {
    min: 2,
    max: 2,
    result: (a) => (a.every((t) => t === 'date' || t === 'datetime') ? 'number' : undefined),
    expects: 'two dates or date-times',
  },
  add_days: {
    min: 2,
    max: 2,
    result: ([d, n]) => ((d === 'date' || d === 'datetime') && n === 'number' ? d : undefined),
    expects: 'a date (or date-time) and a number of days',
  },
}

/** The type of every node of a checked tree. */
export type Types = Map<Node, ExprType>

/**
 * Checks a tree against the columns it may read (`columnType` gives a column's type, undefined
 * when there is no such column). Throws ExprError at the offending node.
 */
export function checkExpr(
  root: Node,
  columnType: (name: string) => ExprType | undefined,
  known: string[],
): Types {
  const types: Types = new Map()
  const visit = (n: Node): ExprType => {
    const t = typeOf(n)
    types.set(n, t)
    return t
  }
  const mismatch = (n: Node, what: string, got: ExprType[]) =>
    new ExprError(`${what}, got ${got.join(' and ')}`, n.pos)
  const typeOf = (n: Node): ExprType => {
    switch (n.type) {
      case 'num':
        return 'number'
      case 'str':
        return 'string'
      case 'bool':
        return 'bool'
      case 'null':
        return 'null'
      case 'col': {
        const t = columnType(n.name)
        if (t === undefined) {
          const list = known.length > 0 ? `; expected one of ${known.slice(0, 12).join(', ')}` : ''
          throw new ExprError(`unknown column ${JSON.stringify(n.name)}${list}`, n.pos)
        }
        return t
      }
      case 'unary': {
        const a = visit(n.arg)
        const want = n.op === '!' ? 'bool' : 'number'
        if (a !== want && a !== 'null')
          throw mismatch(n, `${n.op} expects ${want === 'bool' ? 'a bool' : 'a number'}`, [a])
        return want
      }
      case 'cond': {
        const test = visit(n.test)
        if (test !== 'bool' && test !== 'null')
          throw mismatch(n.test, 'the condition of ?: must be a bool', [test])
        const a = visit(n.then)
        const b = visit(n.else)
        if (a !== b && a !== 'null' && b !== 'null')
          throw mismatch(n, 'both branches of ?: must have one type', [a, b])
        return a === 'null' ? b : a
      }
      case 'call': {
        const sig = FUNCTIONS[n.name]
        if (sig === undefined) {
          throw new ExprError(
            `unknown function ${JSON.stringify(n.name)}; expected one of ${Object.keys(FUNCTIONS).join(', ')}`,
            n.pos,
          )
        }
        if (n.args.length < sig.min || n.args.length > sig.max) {
          const count = sig.min === sig.max ? `${sig.min}` : `${sig.min} to ${sig.max}`
          throw new ExprError(`${n.name} takes ${count} arguments, got ${n.args.length}`, n.pos)
        }
        const args = n.args.map(visit)
        // A null argument is allowed anywhere: the result is null (coalesce aside).
        const concrete = args.map((a, i) => (a === 'null' && n.name !== 'coalesce' ? guess(n.name, i) : a))
        const r = sig.result(concrete)
        if (r === undefined) throw mismatch(n, `${n.name} expects ${sig.expects}`, args)
        return r
      }
      case 'binary':
        return binaryType(n, visit(n.left), visit(n.right))
    }
  }
  visit(root)
  return types
}

/** The type a null argument stands in for, so `abs(null)` type-checks (and gives null). */
function guess(name: string, i: number): ExprType {
  if (name === 'len' || name === 'lower' || name === 'upper') return 'string'
  if (name === 'days_between' || (name === 'add_days' && i === 0)) return 'date'
  return 'number'
}

function binaryType(n: Extract<Node, { type: 'binary' }>, a: ExprType, b: ExprType): ExprType {
  const fail = (what: string) => new ExprError(`${what}, got ${a} ${n.op} ${b}`, n.pos)
  const l = a === 'null' ? b : a
  const r = b === 'null' ? a : b
  switch (n.op) {
    case '+':
      if (l === 'number' && r === 'number') return 'number'
      if ((l === 'string' && (r === 'string' || r === 'number')) || (r === 'string' && l === 'number'))
        return 'string'
      if (l === 'null' && r === 'null') return 'null'
      throw fail('+ adds numbers or joins strings (and numbers) into a string')
    case '-':
    case '*':
    case '/':
    case '%':
    case '**':
      if ((l === 'number' || l === 'null') && (r === 'number' || r === 'null')) return 'number'
      throw fail(`${n.op} expects numbers`)
    case '&&':
    case '||':
      if ((l === 'bool' || l === 'null') && (r === 'bool' || r === 'null')) return 'bool'
      throw fail(`${n.op} expects bools`)
    case '==':
    case '!=':
      if (l === r) return 'bool'
      throw fail(`${n.op} compares values of one type`)
    default:
      if (l === r && l !== 'bool') return 'bool'
      throw fail(`${n.op} compares two numbers, strings, dates or date-times`)
  }
}
