/**
 * The `goldgen` command: in-process through its entry function, and as separate processes where
 * process behaviour counts (exit codes of the real binary, piping, lazy imports).
 */
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { VERSION } from '../src/index.ts'
import { BIN, cli, EXAMPLES, goldgen, ROOT, runGoldgen, tempDir } from './helpers.ts'

const CHURN = join(EXAMPLES, 'churn.yaml')
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex')
const dir = tempDir()

describe('goldgen generate', () => {
  it('writes byte-identical files from two separate processes, in every format', () => {
    for (const format of ['arrow', 'arrow-file', 'csv', 'jsonl']) {
      const a = join(dir, `a.${format}`)
      const b = join(dir, `b.${format}`)
      for (const out of [a, b]) {
        const r = cli(['generate', CHURN, '--rows', '3000', '--format', format, '-o', out])
        expect(r.stderr).toBe('')
        expect(r.code).toBe(0)
      }
      expect(sha256(readFileSync(a))).toBe(sha256(readFileSync(b)))
      const ma = JSON.parse(readFileSync(`${a}.manifest.json`, 'utf8'))
      const mb = JSON.parse(readFileSync(`${b}.manifest.json`, 'utf8'))
      expect({ ...ma, files: [] }).toEqual({ ...mb, files: [] })
      expect(ma.files[0].sha256).toBe(sha256(readFileSync(a)))
      expect(ma.files[0].bytes).toBe(readFileSync(a).length)
    }
  })

  it('writes identical bytes whatever the internal chunk size', async () => {
    // Cheap columns so many chunk sizes can be tried; 140,000 rows cross two blocks and two Arrow batches.
    const source = goldgen.defineSchema({
      goldgen: 1,
      columns: {
        id: { type: 'id' },
        x: { type: 'float', min: 0, distribution: { lognormal: { mu: 1, sigma: 1 } } },
        c: { type: 'category', values: { a: 2, b: 1 } },
        d: { type: 'date' },
        s: { type: 'string', max_length: 4 },
      },
    })
    const reference = new Map<string, string>()
    for (const format of ['arrow', 'arrow-file', 'csv', 'jsonl'] as const) {
      reference.set(format, sha256((await goldgen.generateBuffer(source, { rows: 140_000, format })).bytes))
    }
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('arrow', 'arrow-file', 'csv', 'jsonl' as const),
        fc.integer({ min: 500, max: 150_000 }),
        async (format, chunkRows) => {
          const { bytes } = await goldgen.generateBuffer(source, { rows: 140_000, format, chunkRows })
          expect(sha256(bytes)).toBe(reference.get(format))
        },
      ),
      { numRuns: 12 },
    )
    // And the example with faker columns, at one odd chunk size.
    const churn = goldgen.loadSchema(CHURN)
    const whole = sha256((await goldgen.generateBuffer(churn, { rows: 70_000 })).bytes)
    expect(sha256((await goldgen.generateBuffer(churn, { rows: 70_000, chunkRows: 9_999 })).bytes)).toBe(
      whole,
    )
  })

  it('--offset K --rows N writes exactly rows K..K+N-1 of the full dataset', async () => {
    // JSONL, where a line is a row (CSV fields may hold line breaks: edge cases put them there).
    const full = [
      '',
      ...(await runGoldgen(['generate', CHURN, '--rows', '70000', '-f', 'jsonl', '-o', '-'])).stdout.split(
        '\n',
      ),
    ]
    for (const [offset, rows] of [
      [0, 10],
      [65_530, 12],
      [69_990, 10],
      [1234, 1],
    ] as const) {
      const slice = (
        await runGoldgen([
          'generate',
          CHURN,
          '--offset',
          String(offset),
          '--rows',
          String(rows),
          '--total',
          '70000',
          '-f',
          'jsonl',
          '-o',
          '-',
        ])
      ).stdout.split('\n')
      expect(slice.slice(0, -1)).toEqual(full.slice(1 + offset, 1 + offset + rows))
    }
  })

  it('sends data to standard output with -o - and the summary to stderr', () => {
    const r = cli(['generate', CHURN, '--rows', '20', '-f', 'jsonl', '-o', '-'])
    expect(r.code).toBe(0)
    expect(
      r.stdout
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l).customer_id),
    ).toEqual(Array.from({ length: 20 }, (_, i) => i + 1))
    expect(r.stderr).toMatch(/^wrote standard output \(jsonl\): 20 rows × 14 columns/)
  })

  it('names the output after the schema by default and records the recipe in the manifest', async () => {
    const r = await runGoldgen(['generate', CHURN, '--rows', '100', '--seed', '7'], { cwd: dir })
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^wrote churn-golden\.arrow \(arrow\): 100 rows × 14 columns/)
    const m = JSON.parse(readFileSync(join(dir, 'churn-golden.arrow.manifest.json'), 'utf8'))
    expect(m).toMatchObject({
      goldgen: { version: VERSION, algorithm: 1 },
      name: 'churn-golden',
      seed: 7,
      rows: 100,
      offset: 0,
    })
    expect(m.libraries['@faker-js/faker']).toMatch(/^\d+\.\d+\.\d+$/)
    expect(m.files[0]).toMatchObject({
      path: 'churn-golden.arrow',
      format: 'arrow',
      mediaType: 'application/vnd.apache.arrow.stream',
    })
    expect(m.schemaSha256).toMatch(/^[0-9a-f]{64}$/)
    expect(m.columns.age).toMatchObject({
      type: 'int',
      arrowType: 'Int32',
      nullCount: 0,
      generator: { type: 'int', version: 1 },
    })
    expect(m.columns.age.min).toBeGreaterThanOrEqual(18)
    expect(
      Object.values(m.columns.country.valueCounts as Record<string, number>).reduce((a, b) => a + b),
    ).toBe(100)
  })

  it('prints the manifest with --json', async () => {
    const r = await runGoldgen(['generate', CHURN, '--rows', '20', '-o', join(dir, 'j.csv'), '--json'])
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout)).toMatchObject({ rows: 20, files: [{ path: 'j.csv', format: 'csv' }] })
  })

  it('leaves no partial file when it cannot write', async () => {
    const r = await runGoldgen([
      'generate',
      CHURN,
      '--rows',
      '20',
      '-o',
      join(dir, 'no-such-folder', 'x.arrow'),
    ])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('no-such-folder/x.arrow: the folder does not exist')
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([])
  })
})

describe('bad input: exit code 2, one clear message naming file, path and what was expected', () => {
  const write = (name: string, text: string) => {
    const file = join(dir, name)
    writeFileSync(file, text)
    return file
  }
  const run = async (file: string) => {
    const r = await runGoldgen(['generate', file], { cwd: dir })
    expect(r.code).toBe(2)
    expect(r.stdout).toBe('')
    expect(r.stderr).not.toMatch(/\n\s+at /) // never a stack trace
    return r.stderr.replaceAll(dir, '<dir>')
  }

  it('an unknown type', async () => {
    expect(
      await run(write('type.yaml', 'goldgen: 1\ncolumns:\n  a: { type: integer }\n')),
    ).toMatchInlineSnapshot(`
      "goldgen: <dir>/type.yaml: invalid schema (1 problem)
        columns.a.type (line 3, column 14): unknown column type "integer"; expected one of id, int, float, category, bool, date, datetime, uuid, string, faker, ref, lookup
      "
    `)
  })
  it('a bad distribution parameter', async () => {
    const text =
      'goldgen: 1\ncolumns:\n  age:\n    type: int\n    min: 0\n    max: 9\n    distribution: { normal: { mean: 3, sd: -1 } }\n'
    expect(await run(write('sd.yaml', text))).toMatchInlineSnapshot(`
      "goldgen: <dir>/sd.yaml: invalid schema (1 problem)
        columns.age.distribution.normal.sd (line 7, column 44): expected a number > 0, got -1
      "
    `)
  })
  it('min > max', async () => {
    expect(
      await run(write('minmax.yaml', 'goldgen: 1\ncolumns:\n  a: { type: float, min: 10, max: 1 }\n')),
    ).toMatchInlineSnapshot(`
      "goldgen: <dir>/minmax.yaml: invalid schema (1 problem)
        columns.a.min (line 3, column 26): min (10) must not be greater than max (1)
      "
    `)
  })
  it('a YAML syntax error', async () => {
    expect(
      await run(write('syntax.yaml', 'goldgen: 1\ncolumns:\n  a: { type: int, min: 1\n')),
    ).toMatchInlineSnapshot(`
      "goldgen: <dir>/syntax.yaml: not valid YAML or JSON
        line 4, column 1: Flow map in block collection must be sufficiently indented and end with a }
      "
    `)
  })
  it('a missing file', async () => {
    expect(await run(join(dir, 'nope.yaml'))).toMatchInlineSnapshot(`
      "goldgen: <dir>/nope.yaml: file not found
      "
    `)
  })
  it('an unknown key, with a suggestion', async () => {
    expect(
      await run(write('key.yaml', 'goldgen: 1\ncolumns:\n  a: { type: int, min: 1, maxx: 3 }\n')),
    ).toMatchInlineSnapshot(`
      "goldgen: <dir>/key.yaml: invalid schema (1 problem)
        columns.a.maxx (line 3, column 33): unknown key "maxx"; expected one of type, min, max, distribution, expr, noise, cases, sequence, unique, dp, description, missing, edge_cases (did you mean "max"?)
      "
    `)
  })
  it('several problems at once, semantic ones included', async () => {
    const text =
      'goldgen: 1\ncolumns:\n  e: { type: faker, method: internet.emial }\n  u: { type: int, min: 1, max: 5, unique: true }\n  p: { type: string, pattern: "(a" }\n'
    expect(await run(write('many.yaml', text))).toMatchInlineSnapshot(`
      "goldgen: <dir>/many.yaml: invalid schema (3 problems)
        columns.e.method (line 3, column 29): faker has no method internet.emial (did you mean "email"?); internet has faker, email, exampleEmail, username, displayName, protocol, httpMethod, httpStatusCode, url, domainName, domainSuffix, domainWord, ip, ipv4, ipv6, …
        columns.u.unique (line 4, column 43): unique: true needs 1000 distinct values but [1, 5] holds only 5; widen the range or generate at most 5 rows
        columns.p.pattern (line 5, column 31): not a valid regular expression: /^(?:(a)$/u: Unterminated group
      "
    `)
  })
  it('a bad option value', () => {
    const r = cli(['generate', CHURN, '--rows', 'many'])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatchInlineSnapshot(`
      "goldgen: option '-n, --rows <N>' argument 'many' is invalid. --rows must be a whole number ≥ 0, got "many"
      "
    `)
  })
  it('an impossible coverage request says how many rows it needs', async () => {
    const text =
      'goldgen: 1\ncolumns:\n  c: { type: category, values: [a, b, c, d] }\ncoverage: { min_per_category: 300 }\n'
    expect(await run(write('cover.yaml', text))).toMatchInlineSnapshot(`
      "goldgen: <dir>/cover.yaml: invalid schema (1 problem)
        coverage.min_per_category (line 4, column 31): min_per_category: 300 for c (4 values) needs at least 1200 rows; the dataset has 1000
      "
    `)
    const r = await runGoldgen(['generate', join(dir, 'cover.yaml'), '--rows', '1199'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('needs at least 1200 rows; the dataset has 1199')
    expect(
      (
        await runGoldgen([
          'generate',
          join(dir, 'cover.yaml'),
          '--rows',
          '1200',
          '-o',
          join(dir, 'cover.csv'),
        ])
      ).code,
    ).toBe(0)
  })
})

describe('goldgen validate', () => {
  it('accepts every example schema', async () => {
    for (const file of readdirSync(EXAMPLES)) {
      const r = await runGoldgen(['validate', join(EXAMPLES, file)])
      expect(r.code, r.stderr).toBe(0)
      expect(r.stdout).toMatch(/is a valid goldgen schema/)
    }
  })
  it('reports problems as JSON with --json', async () => {
    const file = join(dir, 'v.yaml')
    writeFileSync(file, 'goldgen: 1\ncolumns:\n  a: { type: int, min: 5, max: 1 }\n')
    const r = await runGoldgen(['validate', file, '--json'])
    expect(r.code).toBe(2)
    expect(JSON.parse(r.stdout)).toMatchObject({
      valid: false,
      code: 'SCHEMA_INVALID',
      issues: [{ path: ['columns', 'a', 'min'], line: 3 }],
    })
  })
})

describe('goldgen inspect', () => {
  it('shows types, row count, statistics and first rows of Arrow, CSV and JSONL files', async () => {
    for (const format of ['arrow', 'arrow-file', 'csv', 'jsonl']) {
      const out = join(dir, `inspect.${format}`)
      expect((await runGoldgen(['generate', CHURN, '--rows', '500', '-f', format, '-o', out])).code).toBe(0)
      const r = await runGoldgen(['inspect', out, '--json'])
      expect(r.code, r.stderr).toBe(0)
      const result = JSON.parse(r.stdout)
      expect(result.rows).toBe(500)
      expect(result.columns).toHaveLength(14)
      expect(result.head).toHaveLength(5)
      const age = result.columns.find((c: { name: string }) => c.name === 'age')
      expect(age.min).toBeGreaterThanOrEqual(18)
      expect(age.max).toBeLessThanOrEqual(90)
      expect(result.head[0].customer_id).toBe(1)
    }
    const text = (await runGoldgen(['inspect', join(dir, 'inspect.arrow')])).stdout
    expect(text).toMatch(/inspect\.arrow: arrow, 500 rows, 14 columns/)
    expect(text).toMatch(/country\s+Dictionary<Int32, Utf8>\s+0/)
  })
  it('fails clearly on a file that is not data', async () => {
    const file = join(dir, 'junk.arrow')
    writeFileSync(file, 'not arrow at all')
    const r = await runGoldgen(['inspect', file])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/junk\.arrow: cannot read as arrow/)
  })
})

describe('the entry function', () => {
  it('gives the same exit code, stdout and stderr in-process as the built binary', async () => {
    const bad = join(dir, 'parity.yaml')
    writeFileSync(bad, 'goldgen: 1\ncolumns:\n  a: { type: int, min: 5, max: 1 }\n')
    for (const args of [
      ['generate', CHURN, '--rows', '30', '-f', 'csv', '-o', '-'],
      ['validate', bad],
      ['nonsense'],
    ]) {
      const spawned = cli(args)
      const inProcess = await runGoldgen(args)
      expect(inProcess).toEqual({ code: spawned.code, stdout: spawned.stdout, stderr: spawned.stderr })
    }
  })
})

describe('help and version', () => {
  it('prints the version', () => {
    expect(cli(['--version']).stdout.trim()).toBe(VERSION)
  })
  it('has help for every command', async () => {
    for (const command of [
      'generate',
      'validate',
      'inspect',
      'import',
      'export-jsonschema',
      'infer',
      'compare',
    ]) {
      const r = await runGoldgen([command, '--help'])
      expect(r.code).toBe(0)
      expect(r.stdout).toMatch(new RegExp(`^Usage: goldgen ${command}`))
    }
    expect((await runGoldgen(['generate', '--help'])).stdout).toMatchInlineSnapshot(`
      "Usage: goldgen generate [options] <schema>

      generate a dataset from a schema (YAML or JSON, or a JSON Schema) and write it
      with its manifest

      Arguments:
        schema                   dataset schema file, or a JSON Schema (rows are its
                                 records)

      Options:
        -n, --rows <N>           rows to generate (default: the schema's rows, else
                                 1000)
        -s, --seed <N>           seed, 0 to 4294967295 (default: the schema's seed,
                                 else 0)
        --offset <K>             start at row K of the full dataset (rows K … K+N-1)
        --total <T>              rows in the full dataset an --offset slice is cut
                                 from (default: the schema's rows); exact counts and
                                 coverage are laid out over it
        --tags                   add a _goldgen_tags column listing each row's edge
                                 cases and missing values (column:kind)
        -f, --format <format>    output format (default: from the -o extension, else
                                 arrow) (choices: "arrow", "arrow-file", "csv",
                                 "jsonl", "json", "parquet")
        -o, --out <path>         output file, or - for standard output (default:
                                 <name>.<ext>)
        --manifest <path>        manifest file (default: <out>.manifest.json)
        --no-manifest            write no manifest
        --negative <N>           also write N rows that each break the schema in one
                                 named way (JSONL)
        --negative-out <path>    where negative rows go (default:
                                 <out>.negative.jsonl)
        --json                   print the manifest as JSON instead of a summary
        --jsonl-nonfinite <how>  JSONL/JSON: write NaN and ±Infinity as strings
                                 ("NaN", the default) or as null (for typed readers)
                                 (choices: "string", "null")
        --refs <dir>             a JSON Schema's $refs: a folder of the documents they
                                 name; repeatable
        --ref <file>             a JSON Schema's $refs: one document they name;
                                 repeatable
        --table <name>           tables schemas: write only this table (-o is then its
                                 file)
        --workers <N>            worker threads that make blocks (default: the
                                 machine's cores); output bytes do not depend on it
        --shard <i/N>            write only partition i of N (0-based; whole
                                 65,536-row blocks of the full dataset)
        --shards <N>             write the dataset as N parts in the folder -o DIR/
                                 (part-00000.parquet, …) with one manifest,
                                 DIR/_manifest.json
        -h, --help               show help

      Examples:
        goldgen generate schemas/examples/churn.yaml -o churn.arrow
        goldgen generate churn.yaml --rows 100 --format csv -o -
        goldgen generate churn.yaml --offset 5000 --rows 100 -o slice.jsonl
        goldgen generate churn.yaml --rows 100000000 --shards 8 -o churn-parts/
        goldgen generate churn.yaml --rows 100000000 --shard 3/8 -o part-00003.parquet
      "
    `)
  })
  for (const args of [['--help'], ['list', '--registry', join(dir, 'empty-registry')]]) {
    it(`does not load Arrow, faker, pg or the AWS SDK for ${args[0]}`, () => {
      const log = join(dir, `imports-${args[0]}.log`)
      const r = spawnSync(
        process.execPath,
        ['--import', join(ROOT, 'test/fixtures/trace-imports.mjs'), BIN, ...args],
        {
          env: { ...process.env, GOLDGEN_TRACE_IMPORTS: log },
        },
      )
      expect(r.status, String(r.stderr)).toBe(0)
      const loaded = readFileSync(log, 'utf8')
      expect(loaded).toContain('commander')
      if (args[0] === 'list') expect(loaded).toContain('drizzle-orm') // it did open the registry
      expect(loaded).not.toContain('apache-arrow')
      expect(loaded).not.toContain('@faker-js')
      // The PostgreSQL and S3 drivers load only for their URLs.
      expect(loaded).not.toContain('/node_modules/pg/')
      expect(loaded).not.toContain('@aws-sdk')
    })
  }
})
