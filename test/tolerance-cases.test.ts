/**
 * The shared comparison cases (test/fixtures/tolerance-cases.json) against the TypeScript
 * comparison behind `toMatchGolden` and `goldgen check`. The Python client runs the same file
 * (clients/python/tests/test_tolerance_cases.py), so both languages agree case by case.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { compareRows, type Tolerance } from '../src/compare/rows.ts'
import type { DataRow } from '../src/formats/read.ts'
import { ROOT } from './helpers.ts'

interface Case {
  name: string
  tolerances: Record<string, Tolerance>
  expected: Record<string, unknown>[]
  actual: Record<string, unknown>[]
  failing: [number, string][]
  problems: string[]
}

const specials: Record<string, number> = {
  NaN: Number.NaN,
  Infinity: Number.POSITIVE_INFINITY,
  '-Infinity': Number.NEGATIVE_INFINITY,
  '-0': -0,
}
const decode = (rows: Record<string, unknown>[]): DataRow[] =>
  rows.map((row) =>
    Object.fromEntries(
      Object.entries(row).map(([k, v]) => {
        if (v !== null && typeof v === 'object') {
          const special = specials[(v as { $float: string }).$float]
          if (special === undefined) throw new Error(`unknown $float in ${JSON.stringify(v)}`)
          return [k, special]
        }
        return [k, v as DataRow[string]]
      }),
    ),
  )

const { cases } = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/tolerance-cases.json'), 'utf8')) as {
  cases: Case[]
}

describe('the shared tolerance cases', () => {
  it('has cases for every semantic the two languages must agree on', () => {
    expect(cases.length).toBeGreaterThanOrEqual(20)
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length)
  })
  for (const c of cases) {
    it(c.name, () => {
      const result = compareRows(decode(c.expected), decode(c.actual), c.tolerances, () => [], 1000)
      const failing = result.firstFailures.flatMap((f) => f.columns.map((col) => [f.row, col.column]))
      expect({ failing, problems: result.problems }).toEqual({ failing: c.failing, problems: c.problems })
      expect(result.rowsFailing).toBe(new Set(c.failing.map(([row]) => row)).size)
      expect(result.rowsCompared).toBe(Math.min(c.expected.length, c.actual.length))
    })
  }
})
