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

describe('edge_cases.include items', () => {
  it('"YAML\'s plain `-0` in `edge_cases.include` is a number, so a documented kind is rejected": accepted', async () => {
    const file = schemaFile(
      'minus-zero.yaml',
      `goldgen: 1
rows: 20
columns:
  x: { type: float, min: 0, max: 1, edge_cases: { include: [-0, nan], mode: all } }
`,
    )
    const r = await runGoldgen(['generate', file, '--tags', '-f', 'jsonl', '-o', '-'])
    expect(r.code, r.stderr).toBe(0)
    const rows = r.stdout.trimEnd().split('\n')
    const tagged = rows.filter((l) => l.includes('"x:-0"'))
    expect(tagged).toHaveLength(1)
    expect(tagged[0]).toMatch(/^\{"x":-0,/)
  })
  it('"name items in such errors (path with index)"', async () => {
    const file = schemaFile(
      'bad-items.yaml',
      `goldgen: 1
rows: 20
columns:
  x: { type: float, min: 0, max: 1, edge_cases: { include: [-0, [nan]], mode: all } }
  y: { type: float, min: 0, max: 1, edge_cases: { include: [nan, 7], mode: all } }
`,
    )
    const shape = await runGoldgen(['validate', file])
    expect(shape.code).toBe(2)
    expect(shape.stderr).toContain('columns.x.edge_cases.include[1] (line 4')
    expect(shape.stderr).not.toContain('expected a rate between 0 and 1, or a mapping')
    writeFileSync(file, readFileSync(file, 'utf8').replace('[-0, [nan]]', '[-0, nan]'))
    const kind = await runGoldgen(['validate', file])
    expect(kind.code).toBe(2)
    expect(kind.stderr).toMatch(/columns\.y\.edge_cases\.include\[1\] \(line 5.*unknown edge-case kind "7"/)
  })
})

describe('a data file passed as a schema', () => {
  it('"Passing a data file as a schema prints megabytes of its bytes inside the error": what it looks like, which command reads it', async () => {
    const rows = Array.from({ length: 60_000 }, (_, i) => ({ id: i, text: 'x'.repeat(40) }))
    const csv = join(dir, 'big-data.csv')
    writeFileSync(csv, `id,text\n${rows.map((r) => `${r.id},${r.text}`).join('\n')}\n`)
    const jsonl = join(dir, 'big-data.jsonl')
    writeFileSync(jsonl, `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`)
    const files: [string, RegExp][] = [
      [csv, /CSV data \(a header row of 2 columns: "id", "text"\)/],
      [jsonl, /JSON Lines data/],
    ]
    for (const format of ['parquet', 'arrow', 'arrow-file', 'json'] as const) {
      const out = join(dir, `as-schema-${format}.${format === 'arrow-file' ? 'file.arrow' : format}`)
      expect((await runGoldgen(['generate', CHURN, '--rows', '2000', '-f', format, '-o', out])).code).toBe(0)
      const look = {
        parquet: /a Parquet file/,
        arrow: /an Arrow IPC stream/,
        'arrow-file': /an Arrow IPC file/,
        json: /a JSON array of rows/,
      }
      files.push([out, look[format]])
    }
    for (const [file, look] of files) {
      for (const command of ['validate', 'generate']) {
        const r = await runGoldgen([command, file])
        expect(r.code, `${command} ${file}`).toBe(2)
        expect(r.stderr).toMatch(look)
        expect(r.stderr).toContain(`${file}: is not a goldgen schema`)
        for (const reader of ['goldgen infer', 'goldgen publish', 'goldgen inspect'])
          expect(r.stderr).toContain(`${reader} ${file}`)
        expect(r.stderr.length).toBeLessThan(1000 + 4 * file.length)
      }
    }
  })
})

describe('impossible dates', () => {
  it('"Impossible dates (`2024-02-30`) are read as the next valid day; they are errors": schemas name file and path', async () => {
    const file = schemaFile(
      'impossible-dates.yaml',
      `goldgen: 1
rows: 5
columns:
  d: { type: date, min: 2024-02-30, max: 2024-03-05 }
  t: { type: datetime, min: 2023-02-29T10:00:00Z, max: 2024-03-05T24:00:00Z }
  e: { type: date, distribution: { discrete: { values: [2024-01-01, 2023-04-31], weights: [1, 1] } } }
  ok: { type: date, min: 2024-02-29, max: 2024-03-01 }
`,
    )
    for (const command of ['validate', 'generate']) {
      const r = await runGoldgen(
        [command, file, '-o', join(dir, 'never.csv')].slice(0, command === 'validate' ? 2 : 4),
      )
      expect(r.code).toBe(2)
      expect(r.stderr).toContain(`${file}: invalid schema (4 problems)`)
      expect(r.stderr).toMatch(/columns\.d\.min \(line 4.*"2024-02-30"/)
      expect(r.stderr).toMatch(/columns\.t\.min \(line 5.*"2023-02-29T10:00:00Z"/)
      expect(r.stderr).toMatch(/columns\.t\.max \(line 5.*"2024-03-05T24:00:00Z"/)
      expect(r.stderr).toMatch(/columns\.e\.distribution\.discrete\.values\[1\] \(line 6.*"2023-04-31"/)
      expect(r.stderr).not.toContain('columns.ok')
    }
  })
  it('infer: a column with an impossible date is not inferred as a date column', async () => {
    const csv = join(dir, 'dates.csv')
    writeFileSync(csv, 'd,real\n2024-02-30,2024-02-29\n2024-01-01,2023-02-28\n2024-01-05,2024-01-05\n')
    const r = await runGoldgen(['infer', csv])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/ {2}d:\n {4}type: category/)
    expect(r.stdout).toContain('2024-02-30')
    expect(r.stdout).not.toContain('2024-03-01')
    expect(r.stdout).toMatch(/ {2}real:\n {4}type: date/)
  })
})

describe('a format that contradicts a known extension', () => {
  it('"`-o x.parquet` silently writes an Arrow stream": Parquet now; "`-o x.csv --format jsonl` writes JSONL into a `.csv`": an error in generate and fetch', async () => {
    const parquet = join(dir, 'ext.parquet')
    expect((await runGoldgen(['generate', NONFINITE, '-o', parquet])).code).toBe(0)
    expect(readFileSync(parquet).subarray(0, 4).toString('latin1')).toBe('PAR1')
    const g = await runGoldgen(['generate', NONFINITE, '-o', join(dir, 'ext.csv'), '--format', 'jsonl'])
    expect(g.code).toBe(2)
    expect(g.stderr).toMatch(/--format jsonl contradicts the output file .*ext\.csv/)
    const registry = join(dir, 'reg-ext')
    expect((await runGoldgen(['publish', NONFINITE, '--dataset', 'ext', '--registry', registry])).code).toBe(
      0,
    )
    const f = await runGoldgen([
      'fetch',
      'ext@1',
      '-o',
      join(dir, 'f.csv'),
      '-f',
      'jsonl',
      '--registry',
      registry,
    ])
    expect(f.code).toBe(2)
    expect(f.stderr).toMatch(/--format jsonl contradicts the output file .*f\.csv/)
    const ok = await runGoldgen(['fetch', 'ext@1', '-o', join(dir, 'f.parquet'), '--registry', registry])
    expect(ok.code, ok.stderr).toBe(0)
    expect(readFileSync(join(dir, 'f.parquet')).subarray(0, 4).toString('latin1')).toBe('PAR1')
  })
})

describe('validate reports every problem at once', () => {
  it('"`validate` reports problems in two passes (fix one, see the next)": shape and semantic problems in one run', async () => {
    const file = schemaFile(
      'two-kinds.yaml',
      `goldgen: 1
rows: 10
columns:
  a: { type: int, min: 5, max: 1 }
  c: { type: int, min: x }
  d: { type: category, values: [p, q], colour: red }
  e: { type: int, min: 0, max: 3, missing: { rate: 0.1, when: { c: { gt: 3 } } } }
`,
    )
    const r = await runGoldgen(['validate', file])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('invalid schema (3 problems)')
    expect(r.stderr).toMatch(/columns\.a\.min \(line 4.*min \(5\) must not be greater than max \(1\)/)
    expect(r.stderr).toMatch(/columns\.c\.min \(line 5.*expected a number, got "x"/)
    expect(r.stderr).toMatch(/columns\.d\.colour \(line 6.*unknown key "colour"/)
    const json = JSON.parse((await runGoldgen(['validate', file, '--json'])).stdout)
    expect(json.issues.map((i: { path: string[] }) => i.path.slice(0, 2).join('.'))).toEqual([
      'columns.a',
      'columns.c',
      'columns.d',
    ])
  })

  it("reports a column's own problems and another column's edge-case and missing-value problems in one run", async () => {
    const file = schemaFile(
      'two-phases.yaml',
      `goldgen: 1
rows: 10
columns:
  a: { type: int, min: 5, max: 1 }
  b: { type: int, min: 0, max: 9, edge_cases: { include: [nonsense_kind] } }
  c: { type: float, min: 0, max: 1, missing: { rate: 0.1, when: { nowhere: 3 } } }
  e: { type: int, min: 0, max: 3, missing: { rate: 0.1, when: { a: { gt: 3 } } } }
`,
    )
    const r = await runGoldgen(['validate', file])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/columns\.a\.min \(line 4.*must not be greater than max/)
    expect(r.stderr).toMatch(
      /columns\.b\.edge_cases\.include\[0\] \(line 5.*unknown edge-case kind "nonsense_kind"/,
    )
    expect(r.stderr).toMatch(/columns\.c\.missing\.when\.nowhere \(line 6.*no column named "nowhere"/)
    // e's condition names a, which has problems of its own: not reported as a second problem
    expect(r.stderr).not.toMatch(/columns\.e/)
  })
})
