/**
 * JSON Schema import: conformance over the shared corpus (every generated record validates with
 * ajv, for the draft its `$schema` names), Arrow shapes, and errors for bad input.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Ajv07 from 'ajv'
import Ajv2019 from 'ajv/dist/2019.js'
import Ajv2020 from 'ajv/dist/2020.js'
import AjvDraft04 from 'ajv-draft-04'
import addFormats from 'ajv-formats'
import { tableFromIPC } from 'apache-arrow'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parse as parseYaml } from 'yaml'
import { validateDef } from '../schemas/parse.ts'
import { toArbitrary } from '../src/api/arbitrary.ts'
import { generateInto } from '../src/api/generate.ts'
import { planDataset } from '../src/api/plan.ts'
import { memorySink } from '../src/api/sink.ts'
import { GoldgenError } from '../src/core/errors.ts'
import { exportJsonSchema } from '../src/jsonschema/export.ts'
import { importJsonSchema, importJsonSchemaFile } from '../src/jsonschema/import.ts'
import { cheapColumnSpec, columnSpec, columns, seed } from './arbitraries.ts'
import { runGoldgen, tempDir } from './helpers.ts'

export const CORPUS = join(import.meta.dirname, 'fixtures/jsonschema')
const corpusFiles = readdirSync(CORPUS).filter((f) => f.endsWith('.json'))

/** An independent validator for a draft (not goldgen's own instance). */
export function validatorFor(schema: Record<string, unknown>) {
  const uri = String(schema.$schema ?? 'https://json-schema.org/draft/2020-12/schema')
  const Ajv = (uri.includes('draft-04')
    ? AjvDraft04
    : uri.includes('2019-09')
      ? Ajv2019
      : uri.includes('2020-12')
        ? Ajv2020
        : Ajv07) as unknown as new (
    o: object,
  ) => import('ajv').default
  const ajv = new Ajv({ strict: false, allErrors: true, ownProperties: true })
  ;(addFormats as unknown as (a: object) => void)(ajv)
  return ajv.compile(schema)
}

async function bytesOf(
  def: Parameters<typeof planDataset>[0],
  rows: number,
  seed: number,
  format: 'jsonl' | 'arrow' | 'csv',
): Promise<{ bytes: Uint8Array; manifest: Awaited<ReturnType<typeof generateInto>> }> {
  const sink = memorySink()
  const manifest = await generateInto(planDataset(def, { rows, seed }), format, sink, `out.${format}`)
  return { bytes: sink.contents(), manifest }
}

export async function jsonlOf(
  def: Parameters<typeof planDataset>[0],
  rows: number,
  seed = 1,
): Promise<string> {
  return new TextDecoder().decode((await bytesOf(def, rows, seed, 'jsonl')).bytes)
}

const dir = tempDir()
const corpus = (name: string) =>
  JSON.parse(readFileSync(join(CORPUS, name), 'utf8')) as Record<string, unknown>
const thrown = (f: () => unknown): GoldgenError => {
  try {
    f()
  } catch (e) {
    if (e instanceof GoldgenError) return e
    throw e
  }
  throw new Error('expected a GoldgenError')
}

describe('JSON Schema corpus conformance', () => {
  it('finds the corpus', () => {
    expect(corpusFiles.length).toBeGreaterThanOrEqual(23)
  })
  for (const file of corpusFiles) {
    it(`${file}: every generated record validates`, async () => {
      const path = join(CORPUS, file)
      const schema = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>
      const { def } = importJsonSchemaFile(path)
      const { bytes, manifest } = await bytesOf(def, 300, 1, 'jsonl')
      const lines = new TextDecoder().decode(bytes).trimEnd().split('\n')
      expect(lines).toHaveLength(300)
      const validate = validatorFor(schema)
      const bad = lines.filter((l) => !validate(JSON.parse(l)))
      expect(bad.slice(0, 3), JSON.stringify(validate.errors)).toEqual([])
      // The sampler itself fits the schema: the final check rarely has to draw again.
      expect(manifest.records!.rejected).toBeLessThanOrEqual(30)
    })
  }
})

describe('records from a JSON Schema', () => {
  it('are the same bytes for the same seed and differ for another', async () => {
    const { def } = importJsonSchema(corpus('jsf-comprehensive.json'), 'c.json')
    const a = await bytesOf(def, 200, 7, 'arrow')
    const b = await bytesOf(def, 200, 7, 'arrow')
    const c = await bytesOf(def, 200, 8, 'arrow')
    expect(Buffer.from(a.bytes).equals(Buffer.from(b.bytes))).toBe(true)
    expect(Buffer.from(a.bytes).equals(Buffer.from(c.bytes))).toBe(false)
  })

  it('become Arrow struct and list columns holding the same values as the JSONL records', async () => {
    const { def } = importJsonSchema(corpus('jsf-issue-400-nested-arrays.json'), 'n.json')
    const { bytes, manifest } = await bytesOf(def, 50, 3, 'arrow')
    const table = tableFromIPC(bytes)
    expect(String(table.schema.fields[0]!.type)).toBe('List<Struct<{emplId:Int64, empDeptId:Int64}>>')
    expect(manifest.columns.users!.arrowType).toBe('List<Struct<emplId: Int64, empDeptId: Int64>>')
    const records = (await jsonlOf(def, 50, 3))
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l))
    const fromArrow = table
      .toArray()
      .map((row) =>
        JSON.parse(JSON.stringify(row.toJSON(), (_k, v) => (typeof v === 'bigint' ? Number(v) : v))),
      )
    expect(fromArrow).toEqual(records)
    for (const r of records) expect(r.users.length).toBeGreaterThanOrEqual(5)
  })

  it('leave out optional properties in JSONL and write null only where the schema allows it', async () => {
    const { def } = importJsonSchema(corpus('jsf-issue-466-if-then-nullable.json'), 'z.json')
    const records = (await jsonlOf(def, 400, 1))
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l))
    expect(records.some((r) => !('zipcode' in r))).toBe(true)
    expect(records.some((r) => r.zipcode === null)).toBe(true)
    // The if/then: a US record always has a string zipcode.
    for (const r of records) if (r.country === 'us') expect(typeof r.zipcode).toBe('string')
    expect(new Set(records.map((r) => r.country))).toEqual(new Set(['us', 'other']))
  })

  it('hold oneOf exclusivity: exactly one branch matches', async () => {
    const { def } = importJsonSchema(corpus('jsf-issue-386-oneof-required.json'), 'o.json')
    const records = (await jsonlOf(def, 300, 2))
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l))
    for (const r of records) {
      const present = ['sntp', 'timep', 'timep-or-sntp', 'ntp'].filter((k) => k in r)
      expect(present).toHaveLength(1)
    }
  })

  it('use nested JSON text in CSV cells', async () => {
    const { def } = importJsonSchema(corpus('jsf-issue-57-allof-mixin.json'), 'm.json')
    const text = new TextDecoder().decode((await bytesOf(def, 20, 1, 'csv')).bytes)
    const [header, first] = text.split('\r\n')
    expect(header).toBe('billing_address,shipping_address')
    expect(first).toMatch(/^("\{""street_address"":.*\}")?,/)
  })

  it('record the draft and how many draws the final check rejected in the manifest', async () => {
    const { def } = importJsonSchema(corpus('suite-unevaluated-if-then-else.json'), 'u.json')
    const { manifest } = await bytesOf(def, 100, 1, 'jsonl')
    expect(manifest.records).toMatchObject({ draft: '2020-12', pointer: '#' })
    expect(manifest.records!.rejected).toBeGreaterThanOrEqual(0)
    expect(manifest.columns.foo!.type).toBe('json')
  })

  it('follow --pointer into $defs', async () => {
    const { def } = importJsonSchema(corpus('jsf-comprehensive.json'), 'c.json', {
      pointer: '#/$defs/address',
    })
    const lines = (await jsonlOf(def, 100)).trimEnd().split('\n')
    const validate = validatorFor({
      ...corpus('jsf-comprehensive.json'),
      $ref: '#/$defs/address',
      properties: {},
      required: [],
      type: 'object',
    })
    for (const l of lines) {
      const r = JSON.parse(l)
      expect(Object.keys(r)).toEqual(expect.arrayContaining(['street', 'city', 'state', 'zipCode']))
      expect(validate(r)).toBe(true)
    }
  })

  it('warn about every keyword goldgen does not honour, naming keyword and JSON pointer', () => {
    const { warnings, yaml } = importJsonSchema(corpus('jsf-comprehensive.json'), 'c.json')
    const keywords = new Set(warnings.map((w) => w.keyword))
    expect(keywords).toEqual(new Set(['autoIncrement', 'initialOffset', 'template']))
    expect(warnings.find((w) => w.keyword === 'template')!.pointer).toBe(
      '#/properties/stringTemplate/template',
    )
    expect(yaml).toContain('# Not honoured:')
    expect(parseYaml(yaml).records.json_schema.title).toBe('Comprehensive Test Schema')
    // Standard schemas produce none.
    expect(importJsonSchema(corpus('suite-ref-escaped-pointer.json'), 's.json').warnings).toEqual([])
  })

  it('read every draft its $schema names', async () => {
    const base = {
      type: 'object',
      properties: { n: { type: 'integer', minimum: 1, maximum: 5, exclusiveMaximum: true } },
      required: ['n'],
    }
    for (const [uri, draft] of [
      ['http://json-schema.org/draft-04/schema#', '04'],
      ['http://json-schema.org/draft-06/schema#', '06'],
      ['http://json-schema.org/draft-07/schema#', '07'],
      ['https://json-schema.org/draft/2019-09/schema', '2019-09'],
      ['https://json-schema.org/draft/2020-12/schema', '2020-12'],
    ] as const) {
      // exclusiveMaximum: true is draft-04 syntax; later drafts take a number.
      const schema =
        draft === '04'
          ? { ...base, $schema: uri }
          : { ...base, $schema: uri, properties: { n: { type: 'integer', minimum: 1, exclusiveMaximum: 5 } } }
      const { def } = importJsonSchema(schema, `${draft}.json`)
      const { manifest, bytes } = await bytesOf(def, 200, 1, 'jsonl')
      expect(manifest.records!.draft).toBe(draft)
      const values = new TextDecoder()
        .decode(bytes)
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l).n)
      expect(Math.max(...values)).toBe(4)
      expect(Math.min(...values)).toBe(1)
    }
  })
})

describe('JSON Schema input errors', () => {
  it('an invalid schema names the file and the JSON pointer', () => {
    const e = thrown(() => importJsonSchema({ type: 'object', properties: { a: { type: 5 } } }, 'bad.json'))
    expect(e.code).toBe('SCHEMA_INVALID')
    expect(e.file).toBe('bad.json')
    expect(e.issues[0]!.message).toMatch(/^#\/properties\/a\/type: /)
  })

  it('an unresolvable $ref names the reference and where it is', () => {
    const e = thrown(() =>
      importJsonSchema({ type: 'object', properties: { a: { $ref: '#/$defs/nothing' } } }, 'ref.json'),
    )
    expect(e.code).toBe('SCHEMA_INVALID')
    expect(e.issues[0]!.message).toContain('#/$defs/nothing')
    const remote = thrown(() =>
      importJsonSchema(
        { type: 'object', properties: { a: { $ref: 'https://example.com/x.json' } } },
        'remote.json',
      ),
    )
    expect(remote.issues[0]!.message).toMatch(/#\/properties\/a\/\$ref: .*--refs DIR or --ref FILE/)
  })

  it('an unknown $schema, a non-object root and broken JSON are clear errors', () => {
    expect(
      thrown(() => importJsonSchema({ $schema: 'https://example.com/schema', type: 'object' }, 'u.json'))
        .issues[0]!.message,
    ).toContain('is not a draft goldgen knows')
    expect(thrown(() => importJsonSchema({ type: 'string' }, 's.json')).message).toContain(
      'must describe an object',
    )
    const path = join(dir, 'broken.json')
    writeFileSync(path, '{\n  "type": "object",\n  "properties": {,}\n}\n')
    const e = thrown(() => importJsonSchemaFile(path))
    expect(e.code).toBe('PARSE')
    expect(e.issues[0]!.line).toBe(3)
  })

  it('an unsatisfiable schema fails with the reason instead of writing invalid rows', async () => {
    const { def } = importJsonSchema(
      { type: 'object', properties: { a: { type: 'integer', minimum: 5, maximum: 1 } }, required: ['a'] },
      'x.json',
    )
    await expect(jsonlOf(def, 10)).rejects.toThrow(/could not make a record/)
  })
})

describe('export-jsonschema and back', () => {
  it('any goldgen schema, exported and imported back, generates rows that validate against the export', async () => {
    await fc.assert(
      fc.asyncProperty(columns(columnSpec, 4), seed, async (cols, s) => {
        const def = validateDef({ goldgen: 1, columns: Object.fromEntries(cols) })
        const exported = exportJsonSchema(def)
        const { def: imported } = importJsonSchema(JSON.parse(JSON.stringify(exported)), 'exported.json')
        const validate = validatorFor(exported)
        for (const line of (await jsonlOf(imported, 20, s)).trimEnd().split('\n')) {
          expect(validate(JSON.parse(line)), JSON.stringify(validate.errors)).toBe(true)
        }
      }),
      { numRuns: 40 },
    )
  })

  it("goldgen's own rows validate against the export, with missing values and edge cases", async () => {
    const withExtras = fc
      .tuple(
        cheapColumnSpec,
        fc.option(fc.double({ min: 0.05, max: 0.5, noNaN: true }), { nil: undefined }),
        fc.boolean(),
      )
      .map(([spec, missing, edges]) => ({
        ...spec,
        ...(missing !== undefined ? { missing } : {}),
        ...(edges && spec.type !== 'id' && spec.type !== 'bool' ? { edge_cases: 0.2 } : {}),
      }))
    await fc.assert(
      fc.asyncProperty(columns(withExtras as never, 4), seed, async (cols, s) => {
        const def = validateDef({ goldgen: 1, columns: Object.fromEntries(cols) })
        const validate = validatorFor(exportJsonSchema(def))
        for (const line of (await jsonlOf(def, 60, s)).trimEnd().split('\n')) {
          expect(validate(JSON.parse(line)), `${line} ${JSON.stringify(validate.errors)}`).toBe(true)
        }
      }),
      { numRuns: 40 },
    )
  })
})

describe('the CLI', () => {
  it('goldgen import writes a goldgen schema that generate accepts; generate also takes the JSON Schema itself', async () => {
    const source = join(CORPUS, 'jsf-comprehensive.json')
    const out = join(dir, 'comprehensive.yaml')
    const r = await runGoldgen(['import', source, '-o', out])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('records with')
    expect(r.stderr).toContain('goldgen: warning: ')
    expect(r.stderr).toContain('#/properties/stringTemplate/template')
    const viaYaml = await runGoldgen(['generate', out, '-n', '50', '-o', join(dir, 'a.jsonl')])
    const viaJson = await runGoldgen(['generate', source, '-n', '50', '-o', join(dir, 'b.jsonl')])
    expect(viaYaml.code).toBe(0)
    expect(viaJson.code).toBe(0)
    expect(readFileSync(join(dir, 'a.jsonl'), 'utf8')).toBe(readFileSync(join(dir, 'b.jsonl'), 'utf8'))
    const exported = await runGoldgen(['export-jsonschema', out])
    expect(JSON.parse(exported.stdout).title).toBe('Comprehensive Test Schema')
  })

  it('bad input exits 2 with the file and location, no stack trace', async () => {
    const path = join(dir, 'dangling.json')
    writeFileSync(path, JSON.stringify({ type: 'object', properties: { a: { $ref: '#/definitions/gone' } } }))
    const r = await runGoldgen(['import', path])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain(path)
    expect(r.stderr).toContain('#/definitions/gone')
    expect(r.stderr).not.toMatch(/\n\s+at /)
  })
})

describe('records in the registry', () => {
  it('publish keeps the JSON Schema verbatim, so fetch as JSONL gives the records themselves and verify regenerates them', async () => {
    const registry = join(dir, 'registry')
    const schemaFile = join(import.meta.dirname, '../schemas/examples/order.schema.json')
    expect(
      (await runGoldgen(['publish', schemaFile, '-d', 'orders', '-n', '40', '--registry', registry])).code,
    ).toBe(0)
    const fetched = join(dir, 'fetched.jsonl')
    expect(
      (await runGoldgen(['fetch', 'orders@1', '--format', 'jsonl', '-o', fetched, '--registry', registry]))
        .code,
    ).toBe(0)
    const generated = join(dir, 'generated.jsonl')
    expect((await runGoldgen(['generate', schemaFile, '-n', '40', '-o', generated])).code).toBe(0)
    expect(readFileSync(fetched, 'utf8')).toBe(readFileSync(generated, 'utf8'))
    const validate = validatorFor(JSON.parse(readFileSync(schemaFile, 'utf8')))
    for (const line of readFileSync(fetched, 'utf8').trimEnd().split('\n'))
      expect(validate(JSON.parse(line))).toBe(true)
    const verified = await runGoldgen(['verify', 'orders@1', '--registry', registry])
    expect(verified.code, verified.stderr).toBe(0)
    expect(verified.stdout).toContain('identical bytes')
  })
})

describe('toArbitrary for records', () => {
  it('draws records that validate against the JSON Schema', () => {
    const schema = corpus('jsf-issue-592-material-lot.json')
    const { def } = importJsonSchema(schema, 'm.json')
    const validate = validatorFor(schema)
    fc.assert(
      fc.property(toArbitrary(def), (record) => {
        expect(validate(JSON.parse(JSON.stringify(record))), JSON.stringify(validate.errors)).toBe(true)
      }),
      { numRuns: 50 },
    )
  })
})
