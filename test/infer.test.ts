/**
 * Inference from real data and the fidelity report: the round trip on examples/data/adult.csv
 * (infer → generate → compare), detection of types, dialects and null tokens, and bad input.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse as parseYaml } from 'yaml'
import { validateDef } from '../schemas/parse.ts'
import { generate } from '../src/api/generate.ts'
import { compareFiles } from '../src/compare/fidelity.ts'
import { GoldgenError } from '../src/core/errors.ts'
import { detectDelimiter } from '../src/formats/csv-cells.ts'
import { inferSchema } from '../src/infer/infer.ts'
import { ROOT, runGoldgen, tempDir } from './helpers.ts'

export const ADULT = join(ROOT, 'examples/data/adult.csv')
const dir = tempDir()

const write = (name: string, text: string) => {
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}

describe('inference round trip on adult.csv', () => {
  it('infer, generate, compare: mean TVD ≤ 0.05 and missing rates within 1 point', async () => {
    const inferred = await inferSchema(ADULT)
    const def = validateDef(parseYaml(inferred.yaml), 'adult.yaml')
    const out = join(dir, 'adult-synthetic.csv')
    await generate({ def }, { out, seed: 11, manifest: false })
    const report = await compareFiles(ADULT, out)
    expect(Object.keys(report.columns)).toHaveLength(15)
    expect(report.meanTvd).toBeLessThanOrEqual(0.05)
    for (const [name, c] of Object.entries(report.columns)) {
      expect(Math.abs(c.missingDiff), name).toBeLessThanOrEqual(0.01)
      if (c.categoryCoverage !== undefined) expect(c.categoryCoverage, name).toBe(1)
    }
    // The three columns with real missing values are found, with their rates.
    const missing = Object.fromEntries(
      inferred.columns.filter((c) => c.spec.missing !== undefined).map((c) => [c.name, c.spec.missing]),
    )
    expect(Object.keys(missing).sort()).toEqual(['native-country', 'occupation', 'workclass'])
    expect(missing.workclass).toBeCloseTo(1836 / 32561, 5)
  })

  it('finds the types: integers with exact distributions, categories with counts as weights', async () => {
    const { columns } = await inferSchema(ADULT)
    const byName = Object.fromEntries(columns.map((c) => [c.name, c.spec]))
    expect(byName.age).toMatchObject({ type: 'int', min: 17, max: 90 })
    expect(byName.sex).toEqual({ type: 'category', values: { Male: 21790, Female: 10771 } })
    expect(byName['capital-gain']!.type).toBe('int')
    // Point masses survive: 0 keeps its share in capital-gain.
    const d = (
      byName['capital-gain'] as { distribution: { discrete: { values: number[]; weights: number[] } } }
    ).distribution.discrete
    expect(d.values[0]).toBe(0)
    expect(d.weights[0]).toBe(29849)
  })
})

describe('inference details', () => {
  it('detects id, bool, date, datetime, uuid, email, category and free text, with null tokens', async () => {
    const rows = ['id;ok;day;at;key;mail;tier;note']
    for (let i = 0; i < 60; i++) {
      rows.push(
        [
          100 + 5 * i,
          i % 3 === 0 ? 'true' : 'false',
          `2024-01-${String((i % 28) + 1).padStart(2, '0')}`,
          `2024-02-01T10:${String(i % 60).padStart(2, '0')}:00Z`,
          `${String(i).padStart(8, '0')}-1111-4222-8333-${String(i).padStart(12, '0')}`,
          i % 10 === 0 ? 'NA' : `user${i}@example.com`,
          ['gold', 'silver', 'bronze'][i % 3],
          `free text number ${i * 7919} with words`,
        ].join(';'),
      )
    }
    const path = write('mixed.csv', `${rows.join('\n')}\n`)
    const result = await inferSchema(path)
    expect(result.delimiter).toBe(';')
    const types = Object.fromEntries(result.columns.map((c) => [c.name, c.spec.type]))
    expect(types).toEqual({
      id: 'id',
      ok: 'bool',
      day: 'date',
      at: 'datetime',
      key: 'uuid',
      mail: 'faker',
      tier: 'category',
      note: 'string',
    })
    const spec = Object.fromEntries(result.columns.map((c) => [c.name, c.spec]))
    expect(spec.id).toEqual({ type: 'id', start: 100, step: 5 })
    expect(spec.mail).toMatchObject({ method: 'internet.email', missing: 0.1 })
    expect(spec.ok).toMatchObject({ p: 0.333333 })
    // Given tokens replace the defaults: NA is then an ordinary value.
    const literal = await inferSchema(path, { nullTokens: ['-'] })
    expect(literal.columns.find((c) => c.name === 'mail')!.spec.missing).toBeUndefined()
  })

  it('detects tab and pipe delimiters and ignores delimiters inside quotes', () => {
    expect(detectDelimiter('a\tb\tc\n1\t2\t3\n')).toBe('\t')
    expect(detectDelimiter('a|b\n1|2\n')).toBe('|')
    expect(detectDelimiter('a,b\n"x;y;z",2\n"p;q",3\n')).toBe(',')
  })

  it('reads JSONL samples too', async () => {
    const path = write(
      's.jsonl',
      Array.from({ length: 40 }, (_, i) => JSON.stringify({ n: i % 7, x: i / 3, c: i % 2 ? 'a' : 'b' })).join(
        '\n',
      ),
    )
    const { columns } = await inferSchema(path)
    expect(columns.map((c) => c.spec.type)).toEqual(['int', 'float', 'category'])
  })

  it('a ragged CSV and an empty file are clear errors with location', async () => {
    const ragged = write('ragged.csv', 'a,b,c\n1,2,3\n4,5\n6,7,8\n')
    const e = await inferSchema(ragged).catch((x) => x)
    expect(e).toBeInstanceOf(GoldgenError)
    expect(e.code).toBe('PARSE')
    expect(e.issues[0].line).toBe(3)
    const empty = write('empty.csv', '')
    await expect(inferSchema(empty)).rejects.toThrow(/empty/)
    const r = await runGoldgen(['infer', ragged])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain(`${ragged}: not valid CSV`)
    expect(r.stderr).toContain('line 3')
  })
})

describe('compare', () => {
  it('is 0 for identical data and 1 for disjoint categories', async () => {
    const a = write('a.csv', 'c,n\nx,1\ny,2\nx,3\n')
    const b = write('b.csv', 'c,n\nz,10\nz,20\nz,30\n')
    const same = await compareFiles(a, a)
    expect(same.meanTvd).toBe(0)
    const other = await compareFiles(a, b)
    expect(other.columns.c!.tvd).toBe(1)
    expect(other.columns.c!.categoryCoverage).toBe(0)
  })

  it('the CLI prints a table, --json for machines, and --max-tvd fails the run', async () => {
    const a = write('p.csv', 'c,n\nx,1\ny,2\nx,3\ny,4\n')
    const b = write('q.csv', 'c,n\nx,1\nx,2\nx,3\nx,4\n')
    const text = await runGoldgen(['compare', a, b])
    expect(text.code).toBe(0)
    expect(text.stdout).toContain('mean TVD 0.2500')
    const json = JSON.parse((await runGoldgen(['compare', a, b, '--json'])).stdout)
    expect(json.columns.c.tvd).toBe(0.5)
    expect((await runGoldgen(['compare', a, b, '--max-tvd', '0.1'])).code).toBe(1)
  })

  it('goldgen infer writes a commented schema that validates', async () => {
    const out = join(dir, 'adult.yaml')
    const r = await runGoldgen(['infer', ADULT, '-o', out])
    expect(r.code).toBe(0)
    const text = readFileSync(out, 'utf8')
    expect(text).toMatch(/^# goldgen schema inferred from adult\.csv \(32561 rows\)/)
    expect(text).toContain('# 30725 values, 1836 missing (5.64%), 8 distinct')
    expect((await runGoldgen(['validate', out])).code).toBe(0)
  })
})
