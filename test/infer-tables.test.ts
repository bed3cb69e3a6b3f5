/**
 * `goldgen infer a.csv b.csv …`: generated related tables are read back into a `tables` schema
 * with their keys, foreign keys (the parent first), parent/child counts and lookups.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { generateTables } from '../src/api/tables.ts'
import { inferTables } from '../src/infer/tables.ts'
import { runGoldgen, schema, tempDir } from './helpers.ts'

const shopDef = {
  goldgen: 1,
  name: 'mini',
  seed: 5,
  tables: {
    customers: {
      rows: 200,
      columns: {
        customer_id: { type: 'id' },
        segment: { type: 'category', values: ['consumer', 'business'] },
      },
    },
    orders: {
      parent: { table: 'customers', count: 3 },
      columns: {
        order_id: { type: 'id', start: 1000 },
        customer_id: { type: 'ref', table: 'customers' },
        segment: { type: 'lookup', ref: 'customer_id', column: 'segment' },
        qty: { type: 'int', min: 1, max: 9 },
      },
    },
    lines: {
      parent: { table: 'orders', count: { uniform: { min: 0, max: 3 } } },
      columns: { order_id: { type: 'ref', table: 'orders' }, sku: { type: 'string', pattern: '[A-Z]{4}' } },
    },
  },
}

describe('goldgen infer with several files', () => {
  it('finds keys, parents with their counts, and lookups', async () => {
    const dir = tempDir()
    await generateTables(schema(shopDef), { out: join(dir, 'mini'), format: 'csv' })
    const files = ['customers', 'orders', 'lines'].map((t) => join(dir, 'mini', `${t}.csv`))
    const inferred = await inferTables(files)
    expect(inferred.keys).toMatchObject({ customers: 'customer_id', orders: 'order_id' })
    expect(inferred.refs).toEqual([
      { table: 'orders', column: 'customer_id', references: 'customers.customer_id', parent: true },
      { table: 'lines', column: 'order_id', references: 'orders.order_id', parent: true },
    ])
    expect(inferred.lookups).toEqual([
      { table: 'orders', column: 'segment', via: 'customer_id', from: 'customers.segment' },
    ])
    const tables = inferred.def.tables!
    expect(tables.orders!.parent).toEqual({ table: 'customers', count: 3 })
    const count = tables.lines!.parent!.count as { histogram: { weights: number[] } }
    expect(count.histogram.weights.reduce((a, b) => a + b, 0)).toBe(600)
    // The inferred schema generates, with the same table sizes for fixed counts.
    const again = await generateTables(schema(inferred.def), { out: join(dir, 'again'), format: 'csv' })
    expect(again.manifest.tables.orders!.rows).toBe(600)
    expect(again.manifest.integrity.ok).toBe(true)
    const cli = await runGoldgen(['infer', ...files, '-o', join(dir, 'inferred.yaml')])
    expect(cli.code).toBe(0)
    expect(cli.stdout).toMatch(/3 tables; keys customers.customer_id, orders.order_id/)
    expect(readFileSync(join(dir, 'inferred.yaml'), 'utf8')).toMatch(/type: lookup/)
  })
})
