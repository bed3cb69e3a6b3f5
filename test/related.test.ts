/**
 * Related data, by example: expression errors with table, column, line and position; cycles;
 * cases without a default; `expr` min/max checked at generation; `missing.rate: { expr }`;
 * `tables` errors; `--offset` refused for tables; `--table` writing the same bytes as a full run;
 * dangling keys in the manifest; the CLI.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { generateTables, generateTablesBuffers } from '../src/api/tables.ts'
import { GoldgenError } from '../src/index.ts'
import { exportJsonSchema } from '../src/jsonschema/export.ts'
import { columnValues, EXAMPLES, goldgen, runGoldgen, schema, tempDir } from './helpers.ts'

/** The issues of a schema that fails to plan (parsed from YAML text, so lines are known). */
function issuesOf(yaml: string): { path: string; message: string; line: number | undefined }[] {
  try {
    // Planning a tables schema checks every table before it says to generate them together.
    goldgen.plan(goldgen.parseSchema(yaml, 'test.yaml'))
  } catch (e) {
    if (!(e instanceof GoldgenError)) throw e
    return e.issues.map((i) => ({ path: i.path.join('.'), message: i.message, line: i.line }))
  }
  throw new Error('expected the schema to be rejected')
}

const columns = (body: string) =>
  `goldgen: 1\nrows: 50\ncolumns:\n  age: { type: int, min: 18, max: 90 }\n  seg: { type: category, values: [a, b] }\n${body}`

describe('expression errors', () => {
  it('name the column, the line and the position in the expression', () => {
    const [syntax] = issuesOf(columns('  x: { type: float, expr: "age * (2 +" }\n'))
    expect(syntax!.path).toBe('columns.x.expr')
    expect(syntax!.line).toBe(6)
    expect(syntax!.message).toMatch(/unexpected end of the expression, at character 11/)
    const [unknown] = issuesOf(columns('  x: { type: float, expr: "agee / 2" }\n'))
    expect(unknown!.message).toMatch(/unknown column "agee".*at character 1/)
    const [types] = issuesOf(columns('  x: { type: float, expr: "age + (seg == \'a\')" }\n'))
    expect(types!.message).toMatch(/\+ adds numbers or joins strings.*number \+ bool.*character 5/)
    const [result] = issuesOf(columns('  x: { type: bool, expr: "age / 2" }\n'))
    expect(result!.message).toMatch(/gives a number; this needs a bool/)
    const [fn] = issuesOf(columns('  x: { type: float, expr: "sqr(age)" }\n'))
    expect(fn!.message).toMatch(/unknown function "sqr"/)
  })

  it('name the table in a tables schema', () => {
    const yaml = `goldgen: 1\ntables:\n  t:\n    rows: 5\n    columns:\n      a: { type: int, min: 0, max: 9 }\n      b: { type: int, expr: "a +* 2" }\n`
    const [issue] = issuesOf(yaml)
    expect(issue!.path).toBe('tables.t.columns.b.expr')
    expect(issue!.line).toBe(7)
    expect(issue!.message).toMatch(/at character 4/)
  })

  it('report cycles between columns', () => {
    const issues = issuesOf(
      columns('  x: { type: float, expr: "y + 1" }\n  y: { type: float, expr: "x * 2" }\n'),
    )
    expect(issues.map((i) => i.message).join('\n')).toMatch(
      /columns depend on each other in a cycle: x → y → x/,
    )
    const viaCases = issuesOf(
      columns(
        '  x: { type: int, cases: [{ when: { y: 1 }, min: 0, max: 1 }, { min: 2, max: 3 }] }\n  y: { type: int, expr: "x" }\n',
      ),
    )
    expect(viaCases[0]!.message).toMatch(/cycle/)
  })

  it('require a last case without when, and no default before the end', () => {
    const [last] = issuesOf(columns('  x: { type: int, cases: [{ when: { seg: a }, min: 0, max: 1 }] }\n'))
    expect(last!.path).toBe('columns.x.cases.0.when')
    expect(last!.message).toMatch(/end the cases with a case without when/)
    const [early] = issuesOf(
      columns('  x: { type: int, cases: [{ min: 0, max: 1 }, { when: { seg: a }, min: 2, max: 3 }] }\n'),
    )
    expect(early!.message).toMatch(/never apply/)
  })
})

describe('derived columns', () => {
  it('compute expr columns from the row, nulls in → null out, coalesce aside', () => {
    const v = columnValues(
      schema({
        goldgen: 1,
        rows: 400,
        columns: {
          a: { type: 'int', min: 1, max: 9, missing: 0.3 },
          twice: { type: 'float', expr: 'a * 2' },
          safe: { type: 'float', expr: 'coalesce(a, -1) * 2' },
          label: { type: 'string', expr: "a > 4 ? 'big' : 'small'" },
        },
      }),
    )
    v.a!.forEach((a, i) => {
      expect(v.twice![i]).toBe(a === null ? null : (a as number) * 2)
      expect(v.safe![i]).toBe(a === null ? -2 : (a as number) * 2)
      expect(v.label![i]).toBe(a === null ? null : (a as number) > 4 ? 'big' : 'small')
    })
    expect(v.a!.filter((a) => a === null).length).toBeGreaterThan(50)
  })

  it('fail generation when an expr value leaves min/max, naming the row and the inputs', () => {
    const source = schema({
      goldgen: 1,
      rows: 100,
      columns: { a: { type: 'int', min: 0, max: 100 }, b: { type: 'int', expr: 'a - 50', min: 0 } },
    })
    expect(() => columnValues(source)).toThrow(
      /columns\.b: row \d+: expr "a - 50" gave -?\d+, outside \[0, .*\(from a = \d+\)/,
    )
  })

  it('make rows missing at a rate computed per row', () => {
    const v = columnValues(
      schema({
        goldgen: 1,
        rows: 2000,
        columns: {
          a: { type: 'int', min: 0, max: 9 },
          b: { type: 'int', min: 0, max: 9, missing: { rate: { expr: 'a >= 5 ? 1 : 0' } } },
        },
      }),
    )
    v.a!.forEach((a, i) => {
      expect(v.b![i] === null).toBe((a as number) >= 5)
    })
  })

  it('draw bool labels from p: { expr } (the label follows the feature)', () => {
    const v = columnValues(
      schema({
        goldgen: 1,
        rows: 4000,
        columns: {
          x: { type: 'float', min: 0, max: 1 },
          y: { type: 'bool', p: { expr: 'x > 0.5 ? 0.9 : 0.1' } },
        },
      }),
    )
    const rate = (hi: boolean) => {
      const rows = v.x!.map((x, i) => [x as number, v.y![i]] as const).filter(([x]) => x > 0.5 === hi)
      return rows.filter(([, y]) => y === 1 || y === true).length / rows.length
    }
    expect(rate(true)).toBeGreaterThan(0.85)
    expect(rate(false)).toBeLessThan(0.15)
  })
})

const shop = () => goldgen.loadSchema(join(EXAMPLES, 'shop.yaml'))

describe('tables', () => {
  it('refuse --offset, saying why', async () => {
    await expect(generateTables(shop(), { offset: 10, rows: 20 })).rejects.toThrow(
      /--offset slices one table; a tables schema is generated whole/,
    )
  })

  it('write one table with --table, byte for byte as in a full run', async () => {
    const full = await generateTablesBuffers(shop(), { format: 'csv' })
    const one = await generateTablesBuffers(shop(), { format: 'csv', table: 'order_lines' })
    expect(Object.keys(one.tables)).toEqual(['order_lines'])
    expect(Buffer.from(one.tables.order_lines!).equals(Buffer.from(full.tables.order_lines!))).toBe(true)
  })

  it('report dangling keys and integrity in the manifest', async () => {
    const { manifest } = await generateTablesBuffers(shop(), { format: 'jsonl' })
    const sku = manifest.integrity.refs.find((r) => r.column === 'sku')!
    expect(sku).toMatchObject({
      table: 'order_lines',
      references: 'products.sku',
      orphans: 0,
      toParent: false,
    })
    expect(sku.dangling).toBeGreaterThan(0)
    expect(manifest.tables.order_lines!.columns.sku!.edgeCases).toBeDefined()
    expect(manifest.integrity.ok).toBe(true)
  })

  it('are refused by export-jsonschema, which describes one table', () => {
    expect(() => exportJsonSchema(shop().def)).toThrow(
      /describes the rows of one table; this schema has tables/,
    )
  })

  it('scale root tables with --rows and reject broken table graphs', async () => {
    const { manifest } = await generateTablesBuffers(shop(), { rows: 100, format: 'csv' })
    expect(manifest.tables.customers!.rows).toBe(100)
    expect(manifest.tables.products!.rows).toBe(15)
    const bad = `goldgen: 1\ntables:\n  a:\n    parent: { table: b, count: 1 }\n    columns: { x: { type: int, min: 0, max: 1 } }\n  b:\n    parent: { table: a, count: 1 }\n    columns: { y: { type: lookup, ref: x, column: x } }\n`
    expect(
      issuesOf(bad)
        .map((i) => i.message)
        .join('\n'),
    ).toMatch(/cycle \(parents and refs\): a → b → a/)
  })
})

describe('goldgen generate with tables (CLI)', () => {
  it('writes one file per table and one manifest; refuses --offset with exit code 2', async () => {
    const dir = tempDir()
    const ok = await runGoldgen([
      'generate',
      join(EXAMPLES, 'shop.yaml'),
      '--rows',
      '50',
      '-f',
      'csv',
      '-o',
      join(dir, 'shop'),
    ])
    expect(ok.stderr).toBe('')
    expect(ok.code).toBe(0)
    expect(ok.stdout).toMatch(/ref order_lines.sku → products.sku: \d+ rows, 0 orphans/)
    const manifest = JSON.parse(readFileSync(join(dir, 'shop', 'manifest.json'), 'utf8'))
    expect(Object.keys(manifest.tables)).toEqual(['customers', 'products', 'orders', 'order_lines'])
    expect(readFileSync(join(dir, 'shop', 'orders.csv'), 'utf8').split('\n')[0]).toMatch(
      /^order_id,customer_id,segment/,
    )
    const refused = await runGoldgen([
      'generate',
      join(EXAMPLES, 'shop.yaml'),
      '--offset',
      '5',
      '-o',
      join(dir, 'x'),
    ])
    expect(refused.code).toBe(2)
    expect(refused.stderr).toMatch(/--offset slices one table/)
    const table = await runGoldgen([
      'generate',
      join(EXAMPLES, 'shop.yaml'),
      '--table',
      'orders',
      '-o',
      join(dir, 'orders.jsonl'),
    ])
    expect(table.code).toBe(0)
    expect(readFileSync(join(dir, 'orders.jsonl'), 'utf8').split('\n')[0]).toMatch(
      /"order_id":1,"customer_id":1/,
    )
  })
})
