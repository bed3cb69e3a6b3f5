/**
 * Property: any generated multi-table schema, published and fetched back table by table through
 * the HTTP table routes, keeps referential integrity (every ref value is a key of the referenced
 * table, except the dangling keys the report counts) and the bytes `generateTablesBuffers` makes.
 */
import { createHash } from 'node:crypto'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openRegistry, type Registry } from '../registry/service.ts'
import { generateTablesBuffers } from '../src/api/tables.ts'
import { createApp } from '../src/server/app.ts'
import { schema, tempDir } from './helpers.ts'

const count = fc.oneof(
  fc.integer({ min: 0, max: 3 }),
  fc.record({ poisson: fc.record({ lambda: fc.double({ min: 0.5, max: 3, noNaN: true }) }) }),
)

/** Two roots, a child of the first with a ref to each (one with a lookup), maybe a grandchild. */
const def = fc
  .record({
    seed: fc.integer({ min: 0, max: 10_000 }),
    users: fc.integer({ min: 1, max: 30 }),
    items: fc.integer({ min: 1, max: 20 }),
    orders: count,
    grandchild: fc.boolean(),
    dangling: fc.constantFrom(0, 0.3),
  })
  .map((p) => ({
    goldgen: 1,
    seed: p.seed,
    tables: {
      users: {
        rows: p.users,
        columns: { user_id: { type: 'id' }, tier: { type: 'category', values: ['a', 'b'] } },
      },
      items: {
        rows: p.items,
        columns: { code: { type: 'string', min_length: 5, max_length: 5, unique: true } },
      },
      orders: {
        parent: { table: 'users', count: p.orders },
        columns: {
          order_id: { type: 'id' },
          user_id: { type: 'ref', table: 'users' },
          tier: { type: 'lookup', ref: 'user_id', column: 'tier' },
          item: {
            type: 'ref',
            table: 'items',
            column: 'code',
            ...(p.dangling > 0 ? { edge_cases: { rate: p.dangling } } : {}),
          },
        },
      },
      ...(p.grandchild
        ? {
            notes: {
              parent: { table: 'orders', count: 1 },
              columns: { order_id: { type: 'ref', table: 'orders' }, n: { type: 'int', min: 0, max: 9 } },
            },
          }
        : {}),
    },
  }))

type Row = Record<string, unknown>
const jsonl = (text: string): Row[] =>
  text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Row)

describe('multi-table versions, published and fetched back', () => {
  const dir = tempDir()
  let registry: Registry
  let app: ReturnType<typeof createApp>
  beforeAll(async () => {
    registry = await openRegistry({ dir: join(dir, 'reg') })
    app = createApp(registry)
  })
  afterAll(() => registry?.close())

  it('keep referential integrity and equal bytes', async () => {
    let n = 0
    await fc.assert(
      fc.asyncProperty(def, async (d) => {
        const dataset = `p${++n}`
        const { ref } = await registry.publishSchema(schema(d), { dataset })
        const made = await generateTablesBuffers(schema(d), { format: 'arrow' })
        const base = `/v1/datasets/${dataset}/versions/${ref.split('@')[1]}/tables`
        const listed = (await (await app.request(base)).json()) as {
          tables: { name: string; sha256: string }[]
          integrity: { refs: { table: string; column: string; dangling: number; orphans: number }[] }
        }
        expect(listed.tables.map((t) => t.name)).toEqual(Object.keys(d.tables))
        const rows: Record<string, Row[]> = {}
        for (const t of listed.tables) {
          const arrow = new Uint8Array(await (await app.request(`${base}/${t.name}/data`)).arrayBuffer())
          expect(Buffer.from(arrow).equals(Buffer.from(made.tables[t.name]!)), t.name).toBe(true)
          expect(createHash('sha256').update(arrow).digest('hex')).toBe(t.sha256)
          rows[t.name] = jsonl(await (await app.request(`${base}/${t.name}/data?format=jsonl`)).text())
        }
        const keys = (table: string, column: string) => new Set(rows[table]!.map((r) => r[column]))
        const outside = (table: string, column: string, of: Set<unknown>) =>
          rows[table]!.filter((r) => r[column] !== null && !of.has(r[column])).length
        const users = keys('users', 'user_id')
        expect(outside('orders', 'user_id', users)).toBe(0)
        const tiers = new Map(rows.users!.map((u) => [u.user_id, u.tier]))
        for (const o of rows.orders!) expect(o.tier).toBe(tiers.get(o.user_id))
        const dangling = listed.integrity.refs.find((r) => r.table === 'orders' && r.column === 'item')!
        expect(outside('orders', 'item', keys('items', 'code'))).toBe(dangling.dangling)
        if (rows.notes !== undefined) expect(outside('notes', 'order_id', keys('orders', 'order_id'))).toBe(0)
        for (const r of listed.integrity.refs) expect(r.orphans).toBe(0)
      }),
      { numRuns: 8 },
    )
  }, 60_000)
})
