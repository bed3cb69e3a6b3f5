/**
 * Issue 12, "input that is accepted but wrong" and "small truths": each case once passed silently
 * or printed something false. The test names quote the issue.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { EXAMPLES, runGoldgen, tempDir } from './helpers.ts'

const dir = tempDir()
const CHURN = join(EXAMPLES, 'churn.yaml')

function schemaFile(name: string, yaml: string): string {
  const file = join(dir, name)
  writeFileSync(file, yaml)
  return file
}

const NONFINITE = schemaFile(
  'nonfinite.yaml',
  `goldgen: 1
rows: 40
columns:
  x: { type: float, min: 0, max: 1, edge_cases: { include: [nan, inf, -inf], mode: all } }
  y: { type: int, min: 0, max: 9, missing: 0.2 }
`,
)

describe("--offset past the schema's rows", () => {
  it('"`--offset` past the schema\'s `rows` is accepted when `--total` is not given": exit 2', async () => {
    for (const [offset, rows] of [
      ['40', '5'],
      ['38', '5'],
      ['1000', '1'],
    ]) {
      const r = await runGoldgen([
        'generate',
        NONFINITE,
        '--offset',
        offset!,
        '--rows',
        rows!,
        '-f',
        'csv',
        '-o',
        '-',
      ])
      expect(r.code).toBe(2)
      expect(r.stdout).toBe('')
      expect(r.stderr).toMatch(new RegExp(`--offset ${offset} .*past the schema's rows: 40.*--total`))
    }
  })
  it("a slice inside the schema's rows, or cut from a larger --total, is still written", async () => {
    const inside = await runGoldgen([
      'generate',
      NONFINITE,
      '--offset',
      '35',
      '--rows',
      '5',
      '-f',
      'csv',
      '-o',
      '-',
    ])
    expect(inside.code, inside.stderr).toBe(0)
    const beyond = await runGoldgen([
      ...['generate', NONFINITE, '--offset', '100', '--rows', '5', '--total', '200'],
      ...['-f', 'csv', '-o', '-'],
    ])
    expect(beyond.code, beyond.stderr).toBe(0)
    expect(beyond.stdout.trimEnd().split('\r\n')).toHaveLength(6)
  })
})

describe('small truths', () => {
  it('"the `--tags` summary counts one column too few"', async () => {
    const out = join(dir, 'tagged.csv')
    const r = await runGoldgen(['generate', NONFINITE, '--tags', '-o', out])
    expect(r.code, r.stderr).toBe(0)
    const header = readFileSync(out, 'utf8').split('\r\n')[0]!.split(',')
    expect(header).toEqual(['x', 'y', '_goldgen_tags'])
    expect(r.stdout).toContain(`40 rows × ${header.length} columns`)
  })

  it('"`show` prints `[null, null]` for a column with NaN/±Inf": NaN, Infinity, -Infinity and the finite range', async () => {
    const registry = join(dir, 'reg-show')
    const p = await runGoldgen(['publish', NONFINITE, '--dataset', 'nf', '--registry', registry])
    expect(p.code, p.stderr).toBe(0)
    const r = await runGoldgen(['show', 'nf@1', '--registry', registry])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).not.toContain('null, null')
    const line = r.stdout.split('\n').find((l) => l.trimStart().startsWith('x:'))!
    expect(line).toMatch(/^ {2}x: float \[0\.\d+, 0\.\d+\], 1 NaN, 1 Infinity, 1 -Infinity$/)
    const manifest = JSON.parse((await runGoldgen(['show', 'nf@1', '--json', '--registry', registry])).stdout)
      .manifest.columns.x
    expect(manifest).toMatchObject({ nanCount: 1, infinityCount: 1, negativeInfinityCount: 1 })
    expect(manifest.min).toBeGreaterThanOrEqual(0)
    expect(manifest.max).toBeLessThanOrEqual(1)
    expect(Number.isFinite(manifest.mean)).toBe(true)
  })

  it('"the manifest and `inspect` spell Arrow types differently": one spelling', async () => {
    for (const format of ['arrow', 'arrow-file', 'parquet'] as const) {
      const out = join(dir, `types.${format === 'arrow-file' ? 'file.arrow' : format}`)
      const g = await runGoldgen(['generate', CHURN, '--rows', '50', '-f', format, '-o', out])
      expect(g.code, g.stderr).toBe(0)
      const manifest = JSON.parse(readFileSync(`${out}.manifest.json`, 'utf8'))
      const inspected = JSON.parse((await runGoldgen(['inspect', out, '--json'])).stdout)
      const types = Object.fromEntries(
        inspected.columns.map((c: { name: string; type: string }) => [c.name, c.type]),
      )
      const declared = Object.fromEntries(
        Object.entries(manifest.columns).map(([name, c]) => [name, (c as { arrowType: string }).arrowType]),
      )
      expect(types, format).toEqual(declared)
    }
  })

  it('"`--format json` works but is undocumented and unreadable by `inspect`/`infer`": both read it', async () => {
    const out = join(dir, 'rows.json')
    expect((await runGoldgen(['generate', NONFINITE, '-o', out])).code).toBe(0)
    const inspected = await runGoldgen(['inspect', out, '--json'])
    expect(inspected.code, inspected.stderr).toBe(0)
    const result = JSON.parse(inspected.stdout)
    expect(result).toMatchObject({ format: 'json', rows: 40 })
    expect(result.columns.map((c: { name: string }) => c.name)).toEqual(['x', 'y'])
    expect(result.columns[0]).toMatchObject({ nanCount: 1, max: 'Infinity' })
    const manifest = JSON.parse(readFileSync(`${out}.manifest.json`, 'utf8'))
    expect(result.columns[1].nullCount).toBe(manifest.columns.y.nullCount)
    expect(result.columns[1].nullCount).toBeGreaterThan(0)
    const inferred = await runGoldgen(['infer', out])
    expect(inferred.code, inferred.stderr).toBe(0)
    expect(inferred.stdout).toMatch(/ {2}x:\n {4}type: float/)
    expect(inferred.stdout).toMatch(/ {2}y:\n {4}type: int/)
    // A JSON file without the extension is recognised by its first byte.
    const bare = join(dir, 'rows-json')
    writeFileSync(bare, readFileSync(out))
    expect(JSON.parse((await runGoldgen(['inspect', bare, '--json'])).stdout).format).toBe('json')
  })
})
