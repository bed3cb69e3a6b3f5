/**
 * The expression language of `expr`, `p: { expr }` and `missing.rate: { expr }`: a tokenizer and
 * a precedence-climbing parser that turn the text into a small tree, each node with its position
 * (0-based character offset) so that errors can point into the expression.
 *
 * Grammar, loosest first: `c ? a : b` · `||` · `&&` · `== !=` · `< <= > >=` · `+ -` · `* / %` ·
 * unary `! -` · `**` (right-associative) · primary: number, 'string' or "string", true, false,
 * null, a column name (letters, digits, `_`; any other name in backticks), `f(args…)`, `( … )`.
 */

export type Node =
  | { type: 'num'; value: number; pos: number }
  | { type: 'str'; value: string; pos: number }
  | { type: 'bool'; value: boolean; pos: number }
  | { type: 'null'; pos: number }
  | { type: 'col'; name: string; pos: number }
  | { type: 'unary'; op: '!' | '-'; arg: Node; pos: number }
  | { type: 'binary'; op: string; left: Node; right: Node; pos: number }
  | { type: 'cond'; test: Node; then: Node; else: Node; pos: number }
  | { type: 'call'; name: string; args: Node[]; pos: number }

/** A problem in an expression: what, and where (0-based character offset). */
export class ExprError extends Error {
  readonly pos: number
  constructor(message: string, pos: number) {
    super(message)
    this.pos = pos
  }
}

type Token =
  | { t: 'num'; v: number; pos: number }
  | { t: 'str'; v: string; pos: number }
  | { t: 'id'; v: string; pos: number; quoted: boolean }
  | { t: 'op'; v: string; pos: number }
  | { t: 'end'; pos: number }

const OPS = [
  '**',
  '==',
  '!=',
  '<=',
  '>=',
  '&&',
  '||',
  '+',
  '-',
  '*',
  '/',
  '%',
  '<',
  '>',
  '!',
  '?',
  ':',
  '(',
  ')',
  ',',
]

function tokenize(text: string): Token[] {
  const out: Token[] = []
  let i = 0
  while (i < text.length) {
    const ch = text[i]!
    if (/\s/.test(ch)) {
      i++
      continue
    }
    const start = i
    if (/[0-9.]/.test(ch)) {
      const m = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(text.slice(i))
      if (m === null) throw new ExprError(`unexpected ${JSON.stringify(ch)}`, i)
      out.push({ t: 'num', v: Number(m[0]), pos: start })
      i += m[0].length
      continue
    }
    if (ch === "'" || ch === '"') {
      let s = ''
      i++
      while (i < text.length && text[i] !== ch) {
        if (text[i] === '\\' && i + 1 < text.length) i++
        s += text[i]
        i++
      }
      if (i >= text.length) throw new ExprError('unterminated string', start)
      i++
      out.push({ t: 'str', v: s, pos: start })
      continue
    }
    if (ch === '`') {
      const end = text.indexOf('`', i + 1)
      if (end < 0) throw new ExprError('unterminated `column name`', start)
      out.push({ t: 'id', v: text.slice(i + 1, end), pos: start, quoted: true })
      i = end + 1
      continue
    }
    if (/[A-Za-z_]/.test(ch)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i))!
      out.push({ t: 'id', v: m[0], pos: start, quoted: false })
      i += m[0].length
      continue
    }
    const op = OPS.find((o) => text.startsWith(o, i))
    if (op === undefined) throw new ExprError(`unexpected ${JSON.stringify(ch)}`, i)
    out.push({ t: 'op', v: op, pos: start })
    i += op.length
  }
  out.push({ t: 'end', pos: text.length })
  return out
}

/** Binary operators by precedence level, loosest first. */
const LEVELS: string[][] = [['||'], ['&&'], ['==', '!='], ['<', '<=', '>', '>='], ['+', '-'], ['*', '/', '%']]

/** Parses an expression. Throws ExprError with the position of the problem. */
export function parseExpr(text: string): Node {
  const tokens = tokenize(text)
  let k = 0
  const peek = () => tokens[k]!
  const isOp = (v: string) => {
    const t = peek()
    return t.t === 'op' && t.v === v
  }
  const expect = (v: string) => {
    if (!isOp(v)) throw new ExprError(`expected ${JSON.stringify(v)}, got ${describe(peek())}`, peek().pos)
    k++
  }

  const conditional = (): Node => {
    const test = binary(0)
    if (!isOp('?')) return test
    const pos = peek().pos
    k++
    const then = conditional()
    expect(':')
    return { type: 'cond', test, then, else: conditional(), pos }
  }
  const binary = (level: number): Node => {
    if (level === LEVELS.length) return unary()
    let left = binary(level + 1)
    for (;;) {
      const t = peek()
      if (t.t !== 'op' || !LEVELS[level]!.includes(t.v)) return left
      k++
      left = { type: 'binary', op: t.v, left, right: binary(level + 1), pos: t.pos }
    }
  }
  const unary = (): Node => {
    const t = peek()
    if (t.t === 'op' && (t.v === '!' || t.v === '-')) {
      k++
      return { type: 'unary', op: t.v, arg: unary(), pos: t.pos }
    }
    return power()
  }
  const power = (): Node => {
    const base = primary()
    if (!isOp('**')) return base
    const pos = peek().pos
    k++
    return { type: 'binary', op: '**', left: base, right: unary(), pos }
  }
  const primary = (): Node => {
    const t = peek()
    k++
    switch (t.t) {
      case 'num':
        return { type: 'num', value: t.v, pos: t.pos }
      case 'str':
        return { type: 'str', value: t.v, pos: t.pos }
      case 'id': {
        if (!t.quoted) {
          if (t.v === 'true' || t.v === 'false') return { type: 'bool', value: t.v === 'true', pos: t.pos }
          if (t.v === 'null') return { type: 'null', pos: t.pos }
          if (isOp('(')) {
            k++
            const args: Node[] = []
            if (!isOp(')')) {
              args.push(conditional())
              while (isOp(',')) {
                k++
                args.push(conditional())
              }
            }
            expect(')')
            return { type: 'call', name: t.v, args, pos: t.pos }
          }
        }
        return { type: 'col', name: t.v, pos: t.pos }
      }
      case 'op':
        if (t.v === '(') {
          const inner = conditional()
          expect(')')
          return inner
        }
        throw new ExprError(`unexpected ${describe(t)}`, t.pos)
      default:
        throw new ExprError('unexpected end of the expression', t.pos)
    }
  }

  const tree = conditional()
  if (peek().t !== 'end') throw new ExprError(`unexpected ${describe(peek())}`, peek().pos)
  return tree
}

function describe(t: Token): string {
  if (t.t === 'end') return 'the end of the expression'
  if (t.t === 'str') return `the string ${JSON.stringify(t.v)}`
  return JSON.stringify(String(t.v))
}

/** The column names an expression reads, in order of first use. */
export function columnsOf(node: Node): string[] {
  const out: string[] = []
  const walk = (n: Node): void => {
    if (n.type === 'col') {
      if (!out.includes(n.name)) out.push(n.name)
    } else if (n.type === 'unary') walk(n.arg)
    else if (n.type === 'binary') {
      walk(n.left)
      walk(n.right)
    } else if (n.type === 'cond') {
      walk(n.test)
      walk(n.then)
      walk(n.else)
    } else if (n.type === 'call') n.args.forEach(walk)
  }
  walk(node)
  return out
}
