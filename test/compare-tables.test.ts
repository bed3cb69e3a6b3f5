/**
 * `goldgen compare` of a table set (real files, then the folder of synthetic tables): per-table
 * fidelity and key integrity (keys unique, dangling foreign keys, rows per referenced row, lookup
 * agreement); and the two-file form's refusal of files with no column in common.
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { generateTables } from '../src/api/tables.ts'
import { compareTables } from '../src/compare/tables.ts'
import { runGoldgen, schema, tempDir } from './helpers.ts'

const shopDef = {
  goldgen: 1,
  name: 'real',
  seed: 11,
  tables: {
    customers: {
      rows: 300,
      columns: {
        customer_id: { type: 'id' },
        segment: { type: 'category', values: { consumer: 0.7, business: 0.3 } },
      },
    },
    orders: {
      parent: { table: 'customers', count: { poisson: { lambda: 3 } } },
      columns: {
        order_id: { type: 'id', start: 5000 },
        customer_id: { type: 'ref', table: 'customers' },
        segment: { type: 'lookup', ref: 'customer_id', column: 'segment' },
        amount: { type: 'float', min: 1, max: 200, precision: 2 },
      },
    },
  },
}

const dir = tempDir()
const TABLES = ['customers', 'orders']

/** The real set (generated, standing in for real files), its inferred schema and a synthetic set from it. */
async function realAndSynthetic(): Promise<{ real: string[]; synthetic: string }> {
  const realDir = join(dir, 'real')
  await generateTables(schema(shopDef), { out: realDir, format: 'csv' })
  const real = TABLES.map((t) => join(realDir, `${t}.csv`))
  const inferred = join(dir, 'inferred.yaml')
  expect((await runGoldgen(['infer', ...real, '-o', inferred])).code).toBe(0)
  const synthetic = join(dir, 'synthetic')
  const gen = await runGoldgen(['generate', inferred, '-f', 'csv', '-o', synthetic, '--seed', '7'])
  expect(gen.code, gen.stderr).toBe(0)
  return { real, synthetic }
}

/** A copy of the synthetic folder with one table's CSV text changed. */
function broken(synthetic: string, name: string, table: string, edit: (lines: string[]) => void): string {
  const out = join(dir, name)
  mkdirSync(out, { recursive: true })
  for (const t of TABLES) copyFileSync(join(synthetic, `${t}.csv`), join(out, `${t}.csv`))
  const lines = readFileSync(join(out, `${table}.csv`), 'utf8')
    .trimEnd()
    .split('\n')
  edit(lines)
  writeFileSync(join(out, `${table}.csv`), `${lines.join('\n')}\n`)
  return out
}

describe('goldgen compare of a table set', () => {
  let set: { real: string[]; synthetic: string }

  it('passes real files against tables generated from their inferred schema', async () => {
    set = await realAndSynthetic()
    const r = await runGoldgen(['compare', ...set.real, set.synthetic, '--json'])
    expect(r.code, r.stderr).toBe(0)
    const report = JSON.parse(r.stdout)
    expect(Object.keys(report.tables)).toEqual(TABLES)
    expect(report.integrity).toEqual({ ok: true, problems: [] })
    const orders = report.tables.orders
    expect(orders.key).toMatchObject({ column: 'order_id', unique: true, duplicates: 0, nulls: 0 })
    expect(orders.refs).toHaveLength(1)
    expect(orders.refs[0]).toMatchObject({
      column: 'customer_id',
      references: 'customers.customer_id',
      parent: true,
      dangling: 0,
      ok: true,
    })
    // Rows per customer follow the real histogram: near in distribution, not equal row by row.
    expect(orders.refs[0].counts.tvd).toBeGreaterThan(0)
    expect(orders.refs[0].counts.tvd).toBeLessThan(0.2)
    expect(orders.refs[0].counts.meanReal).toBeCloseTo(readRows(set.real[1]!) / 300, 10)
    expect(orders.lookups).toEqual([
      expect.objectContaining({
        column: 'segment',
        via: 'customer_id',
        from: 'customers.segment',
        agreement: 1,
        ok: true,
      }),
    ])
    expect(orders.columns.amount.tvd).toBeLessThan(0.2)
    expect(orders.meanTvd).toBeGreaterThan(0)
    // Text for people, and --max-tvd per table.
    const text = await runGoldgen(['compare', ...set.real, set.synthetic])
    expect(text.stdout).toContain('== table orders ==')
    expect(text.stdout).toMatch(
      /foreign key customer_id → customers.customer_id \(parent\): \d+ values, 0 dangling/,
    )
    expect(text.stdout).toContain('lookup segment = customers.segment via customer_id: 100.00% of')
    expect(text.stdout).toContain('key integrity: ok (2 tables)')
    const strict = await runGoldgen(['compare', ...set.real, set.synthetic, '--max-tvd', '0.000001'])
    expect(strict.code).toBe(1)
    expect(strict.stderr).toMatch(/table orders: mean TVD 0\.\d+ is above --max-tvd 0\.000001/)
    // A folder of real files works as the list of its files.
    const folder = await runGoldgen(['compare', join(dir, 'real'), set.synthetic, '--json'])
    expect(JSON.parse(folder.stdout).tables.orders.refs[0].dangling).toBe(0)
  })

  it('fails a synthetic set with a broken foreign key, naming table and column', async () => {
    const out = broken(set.synthetic, 'dangling', 'orders', (lines) => {
      const header = lines[0]!.split(',')
      const c = header.indexOf('customer_id')
      for (const at of [1, 2, 3]) {
        const cells = lines[at]!.split(',')
        cells[c] = '987654'
        lines[at] = cells.join(',')
      }
    })
    const r = await runGoldgen(['compare', ...set.real, out])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(
      /orders\.customer_id: 3 of \d+ values are no key of customers\.customer_id \(dangling\)/,
    )
    expect(r.stdout).toContain('key integrity: 1 problems')
    const json = JSON.parse((await runGoldgen(['compare', ...set.real, out, '--json'])).stdout)
    expect(json.tables.orders.refs[0]).toMatchObject({ dangling: 3, ok: false })
    expect(json.integrity.ok).toBe(false)
  })

  it('fails duplicate keys and lookups that disagree', async () => {
    const dup = broken(set.synthetic, 'duplicate', 'customers', (lines) => {
      lines[2] = lines[1]!
    })
    const r = await runGoldgen(['compare', ...set.real, dup])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('customers.customer_id: 1 duplicate keys')
    const lookup = broken(set.synthetic, 'lookup', 'orders', (lines) => {
      const c = lines[0]!.split(',').indexOf('segment')
      const cells = lines[1]!.split(',')
      cells[c] = cells[c] === 'consumer' ? 'business' : 'consumer'
      lines[1] = cells.join(',')
    })
    const l = await runGoldgen(['compare', ...set.real, lookup, '--json'])
    expect(l.code).toBe(1)
    expect(l.stderr).toMatch(/orders\.segment: 1 of \d+ rows differ from customers\.segment/)
    expect(JSON.parse(l.stdout).tables.orders.lookups[0].ok).toBe(false)
  })

  it('refuses sets that do not match, with the table and the folder named', async () => {
    const partial = join(dir, 'partial')
    mkdirSync(partial, { recursive: true })
    copyFileSync(join(set.synthetic, 'customers.csv'), join(partial, 'customers.csv'))
    const r = await runGoldgen(['compare', ...set.real, partial])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain(`no synthetic file for table orders (real ${set.real[1]}) in ${partial}`)
    const notFolder = await runGoldgen(['compare', ...set.real, join(partial, 'customers.csv')])
    expect(notFolder.code).toBe(2)
    expect(notFolder.stderr).toContain('the last argument is the folder of synthetic tables')
    expect((await runGoldgen(['compare', set.real[0]!])).code).toBe(2)
    // A missing path without an extension: a clear error, not an internal one.
    const missing = await runGoldgen(['compare', set.real[0]!, join(dir, 'nowhere')])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain(`${join(dir, 'nowhere')}: file not found`)
    const noFolder = await runGoldgen(['compare', ...set.real, join(dir, 'nowhere')])
    expect(noFolder.code).toBe(2)
    expect(noFolder.stderr).toContain('no such folder (expected the folder of synthetic tables)')
  })
})

const readRows = (file: string) => readFileSync(file, 'utf8').trimEnd().split('\n').length - 1

describe('goldgen compare of two files (issue 12)', () => {
  it('refuses files with no column in common instead of reporting TVD 0', async () => {
    const a = join(dir, 'left.csv')
    const b = join(dir, 'right.csv')
    writeFileSync(a, 'x,y\n1,2\n3,4\n')
    writeFileSync(b, 'p,q\n1,2\n3,4\n')
    const r = await runGoldgen(['compare', a, b, '--max-tvd', '0.1'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain(`${a} and ${b} have no column in common`)
    expect(r.stderr).toContain('real: x, y; synthetic: p, q')
    expect(r.stdout).toBe('')
  })

  it('names the columns only one side has', async () => {
    const a = join(dir, 'l2.csv')
    const b = join(dir, 'r2.csv')
    writeFileSync(a, 'x,y,z\n1,2,3\n3,4,5\n')
    writeFileSync(b, 'x,w\n1,2\n3,4\n')
    const r = await runGoldgen(['compare', a, b])
    expect(r.code).toBe(0)
    expect(r.stderr).toContain(`columns not compared (only in ${a}: y, z; only in ${b}: w)`)
    expect(r.stdout).toContain('only in real: y, z')
  })
})

/** A random two- or three-table schema with refs, a lookup and a grandchild. */
const tablesDef = fc
  .record({
    seed: fc.integer({ min: 0, max: 1000 }),
    users: fc.integer({ min: 2, max: 40 }),
    orders: fc.integer({ min: 1, max: 3 }),
    lines: fc.option(fc.integer({ min: 1, max: 2 }), { nil: undefined }),
  })
  .map((p) => ({
    goldgen: 1,
    name: 'prop',
    seed: p.seed,
    tables: {
      users: {
        rows: p.users,
        columns: { user_id: { type: 'id', start: 10 }, tier: { type: 'category', values: ['gold', 'tin'] } },
      },
      orders: {
        parent: { table: 'users', count: { uniform: { min: 1, max: p.orders } } },
        columns: {
          order_id: { type: 'id', start: 1000 },
          user_id: { type: 'ref', table: 'users' },
          tier: { type: 'lookup', ref: 'user_id', column: 'tier' },
        },
      },
      ...(p.lines === undefined
        ? {}
        : {
            lines: {
              parent: { table: 'orders', count: p.lines },
              columns: { order_id: { type: 'ref', table: 'orders' }, qty: { type: 'int', min: 1, max: 5 } },
            },
          }),
    },
  }))

describe('compare of table sets (property)', () => {
  it('a set against itself passes with TVD 0; one foreign key value that is no key fails naming its column', async () => {
    let run = 0
    await fc.assert(
      fc.asyncProperty(tablesDef, fc.nat(), async (def, pick) => {
        const base = join(dir, `prop-${run++}`)
        await generateTables(schema(def), { out: join(base, 'a'), format: 'csv' })
        const names = Object.keys(def.tables)
        const files = names.map((t) => join(base, 'a', `${t}.csv`))
        const same = await compareTables(files, join(base, 'a'))
        expect(same.integrity.ok).toBe(true)
        const refs = Object.values(same.tables).flatMap((t) => t.refs.map((r) => ({ table: t.table, ...r })))
        expect(refs.length).toBeGreaterThan(0)
        for (const t of Object.values(same.tables)) {
          expect(t.meanTvd).toBe(0)
          for (const r of t.refs) expect(r.counts.tvd).toBe(0)
          for (const l of t.lookups) expect(l.agreement).toBe(1)
        }
        const ref = refs[pick % refs.length]!
        const out = join(base, 'b')
        mkdirSync(out, { recursive: true })
        for (const t of names) copyFileSync(join(base, 'a', `${t}.csv`), join(out, `${t}.csv`))
        const lines = readFileSync(join(out, `${ref.table}.csv`), 'utf8')
          .trimEnd()
          .split('\n')
        const c = lines[0]!.split(',').indexOf(ref.column)
        const row = 1 + (pick % (lines.length - 1))
        const cells = lines[row]!.split(',')
        cells[c] = '999999999'
        lines[row] = cells.join(',')
        writeFileSync(join(out, `${ref.table}.csv`), `${lines.join('\n')}\n`)
        const report = await compareTables(files, out)
        expect(report.integrity.ok).toBe(false)
        expect(report.integrity.problems.some((p) => p.startsWith(`${ref.table}.${ref.column}: 1 of `))).toBe(
          true,
        )
      }),
      { numRuns: 12 },
    )
  })
})
