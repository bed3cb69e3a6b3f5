/** The fast-check bridge (toArbitrary) and negative rows. */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { type ColumnDef, toArbitrary, VIOLATION_FIELD } from '../src/index.ts'
import { columnSpec, columns } from './arbitraries.ts'
import { EXAMPLES, goldgen, runGoldgen, schema, tempDir } from './helpers.ts'

/** Whether a JSON-shaped value honours a column spec (the checks a serving API would make). */
function honours(spec: ColumnDef, v: unknown): boolean {
  switch (spec.type) {
    case 'ref':
    case 'lookup':
      return true
    case 'id':
      return Number.isInteger(v)
    case 'int':
      return (
        Number.isInteger(v) &&
        (v as number) >= (spec.min ?? -(2 ** 31)) &&
        (v as number) <= (spec.max ?? 2 ** 31 - 1)
      )
    case 'float': {
      const x = v as number
      const ok =
        typeof x === 'number' &&
        Number.isFinite(x) &&
        x >= (spec.min ?? -Infinity) &&
        x <= (spec.max ?? Infinity)
      return (
        ok &&
        (spec.precision === undefined ||
          Math.abs(Number(x.toFixed(spec.precision)) - x) <= Math.abs(x) * 1e-15)
      )
    }
    case 'category':
      return (Array.isArray(spec.values) ? spec.values.map(String) : Object.keys(spec.values ?? {})).includes(
        v as string,
      )
    case 'bool':
      return typeof v === 'boolean'
    case 'date':
      return typeof v === 'string' && v >= (spec.min ?? '2000-01-01') && v <= (spec.max ?? '2029-12-31')
    case 'datetime':
      return (
        typeof v === 'string' &&
        Date.parse(v) >= Date.parse(spec.min ?? '2000-01-01T00:00:00Z') &&
        Date.parse(v) <= Date.parse(spec.max ?? '2030-01-01T00:00:00Z')
      )
    case 'uuid':
      return /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(v as string)
    case 'string':
      if (spec.pattern !== undefined) return new RegExp(`^(?:${spec.pattern})$`).test(v as string)
      return (
        typeof v === 'string' &&
        Array.from(v).length >= (spec.min_length ?? 1) &&
        Array.from(v).length <= (spec.max_length ?? 16)
      )
    case 'faker':
      return typeof v === 'string'
  }
}

describe('toArbitrary', () => {
  it('makes rows that honour every column of any schema', () => {
    fc.assert(
      fc.property(columns(columnSpec, 4), fc.integer(), (cols, s) => {
        const arb = toArbitrary(schema({ goldgen: 1, columns: Object.fromEntries(cols) }))
        for (const row of fc.sample(arb, { numRuns: 20, seed: s })) {
          expect(Object.keys(row)).toEqual(cols.map(([n]) => n))
          for (const [name, spec] of cols)
            expect(
              honours(spec, row[name]),
              `${name}: ${JSON.stringify(row[name])} for ${JSON.stringify(spec)}`,
            ).toBe(true)
        }
      }),
      { numRuns: 80 },
    )
  })

  it('produces missing values only where the schema allows them', () => {
    const source = schema({
      goldgen: 1,
      columns: {
        plan: { type: 'category', values: ['basic', 'pro'] },
        income: {
          type: 'float',
          min: 0,
          max: 200000,
          missing: { rate: 0.5, when: { self: { gt: 100000 } } },
        },
        age: { type: 'int', min: 18, max: 90, missing: { rate: 0.3, when: { plan: 'basic' } } },
        note: { type: 'string', missing: { rate: 0.1, as: 'N/A' } },
        x: { type: 'int', min: 0, max: 1 },
      },
    })
    const rows = fc.sample(toArbitrary(source), { numRuns: 2000, seed: 1 })
    expect(rows.some((r) => r.income === null)).toBe(true)
    expect(rows.some((r) => r.age === null)).toBe(true)
    expect(rows.some((r) => r.note === 'N/A')).toBe(true)
    for (const r of rows) {
      if (r.age === null) expect(r.plan).toBe('basic')
      expect(r.x).not.toBeNull()
    }
  })

  it('shrinks to a minimal counterexample', () => {
    const source = schema({
      goldgen: 1,
      columns: {
        age: { type: 'int', min: 18, max: 90 },
        plan: { type: 'category', values: ['basic', 'pro'] },
      },
    })
    const result = fc.check(
      fc.property(toArbitrary(source), (row) => (row.age as number) < 60),
      { seed: 3 },
    )
    expect(result.failed).toBe(true)
    expect(result.counterexample?.[0]).toEqual({ age: 60, plan: 'basic' })
  })
})

describe('negative rows', () => {
  const dir = tempDir()

  it('each row breaks the schema in exactly one named way, and every violation kind appears', async () => {
    const file = join(dir, 'negative.yaml')
    const example = readFileSync(join(EXAMPLES, 'churn.yaml'), 'utf8')
    writeFileSync(file, example.replace('coverage:', '  note: { type: string, max_length: 12 }\ncoverage:'))
    const out = join(dir, 'churn.arrow')
    const r = await runGoldgen(['generate', file, '--rows', '100', '-o', out, '--negative', '60'])
    expect(r.code, r.stderr).toBe(0)
    const manifest = JSON.parse(readFileSync(`${out}.manifest.json`, 'utf8'))
    expect(manifest.negative).toMatchObject({ path: 'churn.arrow.negative.jsonl', rows: 60, format: 'jsonl' })
    const lines = readFileSync(`${out}.negative.jsonl`, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l))
    expect(lines).toHaveLength(60)
    const { def } = goldgen.loadSchema(file)
    const kinds = new Set<string>()
    for (const line of lines) {
      const { [VIOLATION_FIELD]: violation, ...row } = line
      kinds.add(violation.kind)
      for (const [name, spec] of Object.entries(def.columns!)) {
        const ok = name in row && honours(spec, row[name])
        // The named column is the one that breaks; every other column is valid.
        expect(ok, `${name} in ${JSON.stringify(line)}`).toBe(name !== violation.column)
      }
    }
    expect([...kinds].sort()).toEqual([
      'missing_required',
      'out_of_range',
      'too_long',
      'unknown_category',
      'wrong_type',
    ])
    expect(manifest.negative.violations.unknown_category).toBeGreaterThan(0)
  })

  it('is deterministic and can come from the schema key', async () => {
    const source = schema({ goldgen: 1, negative: 5, columns: { a: { type: 'int', min: 0, max: 3 } } })
    const out = join(dir, 'a.csv')
    await goldgen.generate(source, { rows: 10, out })
    const first = readFileSync(`${out}.negative.jsonl`, 'utf8')
    await goldgen.generate(source, { rows: 10, out })
    expect(readFileSync(`${out}.negative.jsonl`, 'utf8')).toBe(first)
    expect(first.trimEnd().split('\n')).toHaveLength(5)
  })
})
