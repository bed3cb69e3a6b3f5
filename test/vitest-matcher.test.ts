/**
 * `toMatchGolden` as a vitest user meets it: the declaration that `import 'goldgen/vitest'` adds
 * to vitest's `expect` (this file is type-checked by `npm run typecheck`; the `@ts-expect-error`
 * lines fail it if the declaration goes missing or stops checking its argument), and
 * GOLDGEN_UPDATE=1, which records a failing comparison through the fixture instead of failing.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { RecordedExpectation } from '../src/client/index.ts'
import type { DataRow } from '../src/formats/read.ts'
import { type GoldenExpectation, toMatchGolden } from '../src/vitest.ts'
import { ROOT } from './helpers.ts'

expect.extend({ toMatchGolden })

const expectedRows: DataRow[] = [{ y: 1 }, { y: 2 }]
const tolerances = { y: { kind: 'atol' as const, value: 0.1 } }

afterEach(() => {
  delete process.env.GOLDGEN_UPDATE
})

describe('toMatchGolden', () => {
  it('type-checks on expect() and expect.not, and rejects a wrong argument', () => {
    expect([{ y: 1.05 }, { y: 2 }]).toMatchGolden({ expectedRows, tolerances })
    expect([{ y: 5 }, { y: 2 }]).not.toMatchGolden({ expectedRows, tolerances })
    // @ts-expect-error: the golden needs expectedRows and tolerances
    expect(() => expect([{ y: 1 }]).toMatchGolden({ tolerances })).toThrow()
    // @ts-expect-error: toMatchGolden takes one argument
    expect(() => expect([{ y: 1 }]).toMatchGolden()).toThrow()
  })

  it('fails with the failing rows when GOLDGEN_UPDATE is not set, recording nothing', () => {
    const recorded: DataRow[][] = []
    const golden: GoldenExpectation = {
      expectedRows,
      tolerances,
      record: async (rows) => {
        recorded.push(rows)
        return { model: 'm@1', dataset: 'd@1', id: 2, replaced: 1, sha256: 'a'.repeat(64), rows: rows.length }
      },
    }
    expect(() => expect([{ y: 1 }, { y: 3 }]).toMatchGolden(golden)).toThrow(
      /1 of 2 rows differ beyond tolerance\n {2}row 1, y: expected 2, got 3 \(off by 1\)/,
    )
    expect(recorded).toEqual([])
  })

  it('records the predictions under GOLDGEN_UPDATE=1 instead of failing, and only when they differ', async () => {
    process.env.GOLDGEN_UPDATE = '1'
    const recorded: DataRow[][] = []
    const record = async (rows: DataRow[]): Promise<RecordedExpectation> => {
      recorded.push(rows)
      return { model: 'm@1', dataset: 'd@1', id: 2, replaced: 1, sha256: 'a'.repeat(64), rows: rows.length }
    }
    await expect([{ y: 1 }, { y: 2.05 }]).toMatchGolden({ expectedRows, tolerances, record })
    expect(recorded).toEqual([])
    await expect([{ y: 1 }, { y: 3 }]).toMatchGolden({ expectedRows, tolerances, record })
    expect(recorded).toEqual([[{ y: 1 }, { y: 3 }]])
  })

  it('says what is missing under GOLDGEN_UPDATE=1 without a fixture to record into, or when recording fails', async () => {
    process.env.GOLDGEN_UPDATE = '1'
    expect(() => expect([{ y: 9 }, { y: 2 }]).toMatchGolden({ expectedRows, tolerances })).toThrow(
      /GOLDGEN_UPDATE is set but toMatchGolden was given no fixture to record into/,
    )
    const record = async (): Promise<RecordedExpectation> => {
      throw new Error('needs a write token: set GOLDGEN_TOKEN')
    }
    await expect(
      expect([{ y: 9 }, { y: 2 }]).toMatchGolden({ expectedRows, tolerances, record }),
    ).rejects.toThrow(/GOLDGEN_UPDATE: needs a write token: set GOLDGEN_TOKEN\n1 of 2 rows differ/)
  })
})

describe("the README's vitest snippet", () => {
  it('is test/readme-vitest.ts (which npm run typecheck compiles), imports aside', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
    const section = readme.slice(readme.indexOf('### The client and test helpers'))
    const snippet = /```ts\n([\s\S]*?)```/.exec(section)?.[1]
    const file = readFileSync(join(ROOT, 'test/readme-vitest.ts'), 'utf8')
    const code = file.slice(file.indexOf('*/\n') + 3).replace(/^\n+/, '')
    expect(snippet).toBeDefined()
    expect(
      code
        .replace("'../src/client/index.ts'", "'goldgen/client'")
        .replace("'../src/vitest.ts'", "'goldgen/vitest'"),
    ).toBe(snippet)
  })
})
