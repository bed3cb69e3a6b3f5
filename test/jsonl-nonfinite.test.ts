/**
 * JSONL's NaN and ±Infinity (issue 12): the default writes them as strings ("NaN"), which typed
 * readers (DuckDB here) turn into a string column; `--jsonl-nonfinite null` writes null, so the
 * column stays a number column. Through `generate` and the registry's `fetch`.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'
import { describe, expect, it } from 'vitest'
import { runGoldgen, tempDir } from './helpers.ts'

const dir = tempDir()
const SCHEMA = join(dir, 'nonfinite.yaml')
writeFileSync(
  SCHEMA,
  `goldgen: 1
rows: 30
columns:
  x: { type: float, min: 0, max: 1, edge_cases: { include: [nan, inf, -inf], mode: all } }
  n: { type: int, min: 0, max: 9 }
`,
)

/** The column types DuckDB gives a JSONL file, by column name. */
async function duckTypes(file: string): Promise<Record<string, string>> {
  const connection = await (await DuckDBInstance.create(':memory:')).connect()
  const reader = await connection.runAndReadAll(`DESCRIBE SELECT * FROM read_json_auto('${file}')`)
  const types = Object.fromEntries(
    reader.getRowObjects().map((r) => [String(r.column_name), String(r.column_type)]),
  )
  connection.closeSync()
  return types
}

describe('--jsonl-nonfinite', () => {
  it('"JSONL writes NaN/±Infinity as strings, which typed readers turn into a string column": keep the default, add null', async () => {
    const strings = join(dir, 'strings.jsonl')
    const nulls = join(dir, 'nulls.jsonl')
    expect((await runGoldgen(['generate', SCHEMA, '-o', strings])).code).toBe(0)
    const r = await runGoldgen(['generate', SCHEMA, '-o', nulls, '--jsonl-nonfinite', 'null'])
    expect(r.code, r.stderr).toBe(0)
    const a = readFileSync(strings, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l))
    const b = readFileSync(nulls, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l))
    const nonFinite = a.map((row, i) => (typeof row.x === 'string' ? i : -1)).filter((i) => i >= 0)
    expect(nonFinite).toHaveLength(3)
    expect(nonFinite.map((i) => a[i].x).sort()).toEqual(['-Infinity', 'Infinity', 'NaN'])
    for (let i = 0; i < a.length; i++)
      expect(b[i]).toEqual(nonFinite.includes(i) ? { ...a[i], x: null } : a[i])
    expect(['VARCHAR', 'JSON']).toContain((await duckTypes(strings)).x) // not a number column
    expect((await duckTypes(nulls)).x).toBe('DOUBLE')
  })

  it('through fetch, from any stored format; refused for formats it does not shape', async () => {
    const registry = join(dir, 'reg')
    expect((await runGoldgen(['publish', SCHEMA, '--dataset', 'nf', '--registry', registry])).code).toBe(0)
    const fetched = join(dir, 'fetched.jsonl')
    const f = await runGoldgen([
      'fetch',
      'nf@1',
      '-o',
      fetched,
      '--jsonl-nonfinite',
      'null',
      '--registry',
      registry,
    ])
    expect(f.code, f.stderr).toBe(0)
    expect(readFileSync(fetched, 'utf8')).not.toContain('"NaN"')
    expect((await duckTypes(fetched)).x).toBe('DOUBLE')
    const csv = await runGoldgen(['generate', SCHEMA, '-o', join(dir, 'x.csv'), '--jsonl-nonfinite', 'null'])
    expect(csv.code).toBe(2)
    expect(csv.stderr).toMatch(/--jsonl-nonfinite applies to jsonl and json output; this output is csv/)
    const bad = await runGoldgen([
      'generate',
      SCHEMA,
      '-o',
      join(dir, 'y.jsonl'),
      '--jsonl-nonfinite',
      'zero',
    ])
    expect(bad.code).toBe(2)
  })
})
