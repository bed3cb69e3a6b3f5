/**
 * Property tests of related data: referential integrity, lookups, sequences within parents,
 * `cases` picking the first matching case, stability when a table or an unrelated column is
 * added, and expressions agreeing with a row-by-row reference evaluation.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { generateTablesBuffers } from '../src/api/tables.ts'
import { compileExpr, type Env, type Vec } from '../src/expr/compile.ts'
import { type Node, parseExpr } from '../src/expr/parse.ts'
import { columnValues, schema } from './helpers.ts'

type Row = Record<string, unknown>
const rowsOf = (bytes: Uint8Array): Row[] =>
  Buffer.from(bytes)
    .toString('utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Row)

async function tables(def: unknown): Promise<Record<string, Row[]>> {
  const { tables } = await generateTablesBuffers(schema(def), { format: 'jsonl' })
  return Object.fromEntries(Object.entries(tables).map(([k, v]) => [k, rowsOf(v)]))
}

const count = fc.oneof(
  fc.integer({ min: 0, max: 4 }),
  fc.record({ poisson: fc.record({ lambda: fc.double({ min: 0.5, max: 4, noNaN: true }) }) }),
  fc.integer({ min: 0, max: 3 }).map((min) => ({ uniform: { min, max: min + 3 } })),
)

/** A random shop-like schema: two roots, a child of the first with refs to both, a grandchild. */
const shopDef = fc
  .record({
    seed: fc.integer({ min: 0, max: 1000 }),
    users: fc.integer({ min: 1, max: 60 }),
    items: fc.integer({ min: 1, max: 40 }),
    orders: count,
    lines: count,
    zipf: fc.boolean(),
    strict: fc.boolean(),
    dangling: fc.constantFrom(0, 0.2),
  })
  .map((p) => ({
    goldgen: 1,
    name: 'prop',
    seed: p.seed,
    tables: {
      users: {
        rows: p.users,
        columns: {
          user_id: { type: 'id', start: 100, step: 3 },
          tier: { type: 'category', values: ['a', 'b', 'c'] },
          score: { type: 'float', min: 0, max: 1, precision: 3 },
        },
      },
      items: {
        rows: p.items,
        columns: {
          code: { type: 'string', min_length: 6, max_length: 6, unique: true },
          price: { type: 'int', min: 1, max: 99 },
        },
      },
      orders: {
        parent: { table: 'users', count: p.orders },
        columns: {
          order_id: { type: 'id' },
          user_id: { type: 'ref', table: 'users' },
          tier: { type: 'lookup', ref: 'user_id', column: 'tier' },
          at: {
            type: 'datetime',
            sequence: {
              start: { min: '2024-01-01T00:00:00Z', max: '2024-02-01T00:00:00Z' },
              gap: { exponential: { rate: 0.001 } },
              strict: p.strict,
            },
          },
        },
      },
      lines: {
        parent: { table: 'orders', count: p.lines },
        columns: {
          order_id: { type: 'ref', table: 'orders' },
          item: {
            type: 'ref',
            table: 'items',
            column: 'code',
            ...(p.zipf ? { distribution: { zipf: { s: 1.2 } } } : {}),
            ...(p.dangling > 0 ? { edge_cases: { rate: p.dangling } } : {}),
          },
          price: { type: 'lookup', ref: 'item', column: 'price' },
          n: {
            type: 'int',
            sequence: { start: { min: 1, max: 1 }, gap: { uniform: { min: 0, max: 2 } }, strict: p.strict },
          },
          total: { type: 'float', expr: 'price * n' },
        },
      },
    },
  }))

describe('related tables', () => {
  it('keeps referential integrity, lookups and sequences for any generated schema', async () => {
    await fc.assert(
      fc.asyncProperty(shopDef, async (def) => {
        const t = await tables(def)
        const users = new Map(t.users!.map((u) => [u.user_id, u]))
        const items = new Map(t.items!.map((i) => [i.code, i]))
        const orders = new Map(t.orders!.map((o) => [o.order_id, o]))
        // Orders: grouped by user in the users' order, each pointing to an existing user.
        let last = -1
        let lastAt = new Map<unknown, number>()
        for (const o of t.orders!) {
          const u = users.get(o.user_id)
          expect(u, `order ${o.order_id} points to a missing user`).toBeDefined()
          expect(o.tier).toBe(u!.tier)
          const rank = t.users!.indexOf(u!)
          expect(rank).toBeGreaterThanOrEqual(last)
          last = rank
          const at = Date.parse(o.at as string)
          const prev = lastAt.get(o.user_id)
          if (prev !== undefined) {
            if (def.tables.orders.columns.at.sequence.strict) expect(at).toBeGreaterThan(prev)
            else expect(at).toBeGreaterThanOrEqual(prev)
          }
          lastAt.set(o.user_id, at)
        }
        lastAt = new Map()
        for (const l of t.lines!) {
          expect(orders.has(l.order_id)).toBe(true)
          const item = items.get(l.item)
          if (def.tables.lines.columns.item.edge_cases === undefined) expect(item).toBeDefined()
          expect(l.price).toBe(item === undefined ? null : item.price)
          expect(l.total).toBe(item === undefined ? null : (item.price as number) * (l.n as number))
          const prev = lastAt.get(l.order_id)
          if (prev !== undefined) {
            if (def.tables.lines.columns.n.sequence.strict) expect(l.n as number).toBeGreaterThan(prev)
            else expect(l.n as number).toBeGreaterThanOrEqual(prev)
          } else expect(l.n).toBe(1)
          lastAt.set(l.order_id, l.n as number)
        }
        const { manifest } = await generateTablesBuffers(schema(def), { format: 'jsonl' })
        expect(manifest.integrity.ok).toBe(true)
        for (const r of manifest.integrity.refs) expect(r.orphans).toBe(0)
        const item = manifest.integrity.refs.find((r) => r.column === 'item')!
        expect(item.dangling).toBe(t.lines!.filter((l) => !items.has(l.item)).length)
      }),
      { numRuns: 25 },
    )
  })

  it('adding a table or an unrelated column changes no byte of the others', async () => {
    await fc.assert(
      fc.asyncProperty(shopDef, fc.boolean(), async (def, where) => {
        const before = await generateTablesBuffers(schema(def), { format: 'csv' })
        const more = structuredClone(def) as typeof def & { tables: Record<string, unknown> }
        more.tables.extra = {
          parent: { table: 'orders', count: 2 },
          columns: { order_id: { type: 'ref', table: 'orders' }, x: { type: 'int', min: 0, max: 9 } },
        }
        if (where)
          (more.tables.items.columns as Record<string, unknown>).colour = {
            type: 'category',
            values: ['red', 'blue'],
          }
        const after = await generateTablesBuffers(schema(more), { format: 'csv' })
        for (const name of Object.keys(before.tables)) {
          if (where && name === 'items') continue // gained a column: compared below
          expect(Buffer.from(after.tables[name]!).equals(Buffer.from(before.tables[name]!)), name).toBe(true)
        }
        if (where) {
          const a = (await tables(more)).items!.map(({ colour: _c, ...rest }) => rest)
          expect(a).toEqual((await tables(def)).items)
        }
      }),
      { numRuns: 10 },
    )
  })
})

describe('cases', () => {
  it('each row takes the first case whose when holds', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 0, max: 100 }),
        fc.constantFrom('a', 'b'),
        fc.integer({ min: 0, max: 99 }),
        (lt, gte, g, seed) => {
          const def = {
            goldgen: 1,
            rows: 300,
            seed,
            columns: {
              x: { type: 'int', min: 0, max: 100 },
              g: { type: 'category', values: ['a', 'b'] },
              y: {
                type: 'int',
                cases: [
                  { when: { x: { lt } }, min: 1000, max: 1999 },
                  { when: { x: { gte }, g }, min: 2000, max: 2999 },
                  { min: 3000, max: 3999 },
                ],
              },
            },
          }
          const v = columnValues(schema(def))
          v.y!.forEach((y, i) => {
            const x = v.x![i] as number
            const want = x < lt ? 1 : x >= gte && v.g![i] === g ? 2 : 3
            expect(Math.floor((y as number) / 1000), `row ${i}: x=${x} g=${v.g![i]}`).toBe(want)
          })
        },
      ),
      { numRuns: 40 },
    )
  })
})

/** A random expression over number columns a, b and string column s, with its text. */
type Ast = { text: string; kind: 'n' | 's' | 'b' }
const numLeaf: fc.Arbitrary<Ast> = fc.oneof(
  fc.constantFrom('a', 'b', '2', '0.5', '-3', 'null').map((text) => ({ text, kind: 'n' as const })),
)
const exprArb: fc.Arbitrary<Ast> = fc.letrec<{ n: Ast; b: Ast; s: Ast }>((tie) => ({
  n: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    numLeaf,
    fc
      .tuple(tie('n'), fc.constantFrom('+', '-', '*', '/', '%', '**'), tie('n'))
      .map(([x, op, y]) => ({ text: `(${x.text} ${op} ${y.text})`, kind: 'n' as const })),
    fc
      .tuple(tie('b'), tie('n'), tie('n'))
      .map(([c, x, y]) => ({ text: `(${c.text} ? ${x.text} : ${y.text})`, kind: 'n' as const })),
    fc
      .tuple(fc.constantFrom('abs', 'floor', 'ceil', 'sqrt', 'log', 'exp', 'sigmoid'), tie('n'))
      .map(([f, x]) => ({ text: `${f}(${x.text})`, kind: 'n' as const })),
    fc
      .tuple(fc.constantFrom('min', 'max', 'pow', 'coalesce', 'round'), tie('n'), tie('n'))
      .map(([f, x, y]) => ({ text: `${f}(${x.text}, ${y.text})`, kind: 'n' as const })),
    fc
      .tuple(tie('n'), tie('n'), tie('n'))
      .map(([x, y, z]) => ({ text: `clamp(${x.text}, ${y.text}, ${z.text})`, kind: 'n' as const })),
    tie('s').map((x) => ({ text: `len(${x.text})`, kind: 'n' as const })),
  ),
  b: fc.oneof(
    { depthSize: 'small' },
    fc
      .tuple(tie('n'), fc.constantFrom('<', '<=', '>', '>=', '==', '!='), tie('n'))
      .map(([x, op, y]) => ({ text: `(${x.text} ${op} ${y.text})`, kind: 'b' as const })),
    fc
      .tuple(tie('s'), fc.constantFrom('==', '!=', '<'), tie('s'))
      .map(([x, op, y]) => ({ text: `(${x.text} ${op} ${y.text})`, kind: 'b' as const })),
    fc
      .tuple(tie('b'), fc.constantFrom('&&', '||'), tie('b'))
      .map(([x, op, y]) => ({ text: `(${x.text} ${op} ${y.text})`, kind: 'b' as const })),
    tie('b').map((x) => ({ text: `!${x.text}`, kind: 'b' as const })),
  ),
  s: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom('s', "'x'", "'Ab'").map((text) => ({ text, kind: 's' as const })),
    fc.tuple(tie('s'), tie('s')).map(([x, y]) => ({ text: `(${x.text} + ${y.text})`, kind: 's' as const })),
    fc.tuple(tie('s'), tie('n')).map(([x, y]) => ({ text: `(${x.text} + ${y.text})`, kind: 's' as const })),
    fc
      .tuple(fc.constantFrom('lower', 'upper'), tie('s'))
      .map(([f, x]) => ({ text: `${f}(${x.text})`, kind: 's' as const })),
  ),
})).n

type V = number | string | boolean | null
/** A reference evaluation: one row at a time, straight from the semantics in SCHEMA.md. */
function reference(text: string, row: Record<string, V>): V {
  return evalRow(parseExpr(text), row)
}

function evalRow(n: Node, row: Record<string, V>): V {
  const ev = (m: Node) => evalRow(m, row)
  switch (n.type) {
    case 'num':
      return n.value
    case 'str':
      return n.value
    case 'bool':
      return n.value
    case 'null':
      return null
    case 'col':
      return row[n.name] ?? null
    case 'unary': {
      const x = ev(n.arg)
      if (x === null) return null
      return n.op === '-' ? -(x as number) : !x
    }
    case 'cond': {
      const c = ev(n.test)
      if (c === null) return null
      return c ? ev(n.then) : ev(n.else)
    }
    case 'call': {
      const args = n.args.map(ev)
      if (n.name === 'coalesce') return args.find((a) => a !== null) ?? null
      if (args.some((a) => a === null)) return null
      const [x, y, z] = args as [number, number, number]
      const f: Record<string, () => V> = {
        abs: () => Math.abs(x),
        floor: () => Math.floor(x),
        ceil: () => Math.ceil(x),
        sqrt: () => Math.sqrt(x),
        log: () => Math.log(x),
        exp: () => Math.exp(x),
        sigmoid: () => 1 / (1 + Math.exp(-x)),
        min: () => Math.min(x, y),
        max: () => Math.max(x, y),
        pow: () => x ** y,
        round: () => Math.round(x * 10 ** y) / 10 ** y,
        clamp: () => Math.min(Math.max(x, y), z),
        len: () => [...(args[0] as string)].length,
        lower: () => (args[0] as string).toLowerCase(),
        upper: () => (args[0] as string).toUpperCase(),
      }
      return f[n.name]!()
    }
    case 'binary': {
      const x = ev(n.left)
      const y = ev(n.right)
      if (x === null || y === null) return null
      const a = x as number
      const b = y as number
      switch (n.op) {
        case '+':
          return typeof x === 'string' || typeof y === 'string' ? String(x) + String(y) : a + b
        case '-':
          return a - b
        case '*':
          return a * b
        case '/':
          return a / b
        case '%':
          return a % b
        case '**':
          return a ** b
        case '<':
          return x < y
        case '<=':
          return x <= y
        case '>':
          return x > y
        case '>=':
          return x >= y
        case '==':
          return x === y
        case '!=':
          return x !== y
        case '&&':
          return Boolean(x && y)
        default:
          return Boolean(x || y)
      }
    }
  }
}

describe('expressions', () => {
  it('give the same value as a reference evaluation of the same row', () => {
    const cell = fc.option(
      fc.oneof(fc.integer({ min: -5, max: 5 }), fc.double({ min: -10, max: 10, noNaN: true })),
      { nil: null, freq: 5 },
    )
    const rowArb = fc.record({
      a: cell,
      b: cell,
      s: fc.option(fc.constantFrom('x', 'yz', 'Ab', ''), { nil: null, freq: 5 }),
    })
    fc.assert(
      fc.property(exprArb, fc.array(rowArb, { minLength: 1, maxLength: 20 }), (ast, rows) => {
        const types = { a: 'number', b: 'number', s: 'string' } as const
        const compiled = compileExpr(ast.text, (c) => types[c as keyof typeof types])
        const env: Env = {
          length: rows.length,
          column(name): Vec {
            const valid = Uint8Array.from(rows, (r) => (r[name as 'a'] === null ? 0 : 1))
            if (name === 's') return { k: 's', v: rows.map((r) => r.s ?? ''), valid }
            return {
              k: 'n',
              v: Float64Array.from(rows, (r) => (r[name as 'a'] as number | null) ?? 0),
              valid,
            }
          },
        }
        const out = compiled.evaluate(env)
        rows.forEach((row, i) => {
          const want = reference(ast.text, row as Record<string, V>)
          const got = out.k === 'c' ? out.v : out.valid?.[i] === 0 ? null : out.v[i]!
          if (want === null) expect(got, `${ast.text} on ${JSON.stringify(row)}`).toBeNull()
          else if (typeof want === 'number') expect(got, `${ast.text} on ${JSON.stringify(row)}`).toBe(want)
          else expect(got).toBe(typeof want === 'boolean' ? Number(want) : want)
        })
      }),
      { numRuns: 300 },
    )
  })
})
