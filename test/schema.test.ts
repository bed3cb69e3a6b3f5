/** The schema language: the published JSON Schema, parsing from YAML and JSON, structured issues. */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Ajv2020 } from 'ajv/dist/2020.js'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parse as parseYaml } from 'yaml'
import { jsonSchemaText } from '../schemas/write-json-schema.ts'
import { canonicalJson, GoldgenError, schemaSha256 } from '../src/index.ts'
import { columnSpec, columns } from './arbitraries.ts'
import { EXAMPLES, goldgen, ROOT } from './helpers.ts'

const published = readFileSync(join(ROOT, 'schemas/goldgen.schema.json'), 'utf8')
const ajv = new Ajv2020({ allErrors: true, strict: false })
const validate = ajv.compile(JSON.parse(published))

describe('the published JSON Schema (schemas/goldgen.schema.json)', () => {
  it('is up to date with the language definition (run `npm run schema:json` after changing it)', () => {
    expect(published).toBe(jsonSchemaText())
  })

  it('accepts every example schema', () => {
    // order.schema.json is a JSON Schema to import (test/jsonschema.test.ts), not a goldgen schema.
    for (const file of readdirSync(EXAMPLES).filter((f) => !f.endsWith('.schema.json'))) {
      const doc = parseYaml(readFileSync(join(EXAMPLES, file), 'utf8'))
      expect(validate(doc), `${file}: ${JSON.stringify(validate.errors)}`).toBe(true)
    }
  })

  it('accepts what goldgen accepts, and rejects what goldgen rejects (generated schemas)', () => {
    const valid = columns(columnSpec).map((cols) => ({ goldgen: 1, columns: Object.fromEntries(cols) }))
    fc.assert(
      fc.property(valid, (def) => {
        expect(() => goldgen.defineSchema(def)).not.toThrow()
        expect(validate(def), JSON.stringify(validate.errors)).toBe(true)
      }),
      { numRuns: 200 },
    )
    const broken = fc.tuple(
      valid,
      fc.constantFrom<[string, unknown]>(
        ['type', 'integer'],
        ['min', 'low'],
        ['bogus', 1],
        ['unique', 'yes'],
        ['missing', 2],
      ),
    )
    fc.assert(
      fc.property(broken, ([def, [key, value]]) => {
        const [name, spec] = Object.entries(def.columns)[0]!
        const bad = { ...def, columns: { ...def.columns, [name]: { ...(spec as object), [key]: value } } }
        expect(() => goldgen.defineSchema(bad)).toThrow(GoldgenError)
        expect(validate(bad)).toBe(false)
      }),
      { numRuns: 100 },
    )
  })
})

describe('parsing', () => {
  it('reads JSON and YAML spellings of a schema into the same definition and fingerprint', () => {
    const yaml = goldgen.parseSchema(
      'goldgen: 1\ncolumns:\n  a: { type: int, min: 1, max: 3 }\n  b: { type: category, values: [x, y] }\n',
    )
    const json = goldgen.parseSchema(
      '{"columns": {"a": {"max": 3, "min": 1, "type": "int"}, "b": {"values": ["x", "y"], "type": "category"}}, "goldgen": 1}',
    )
    expect(canonicalJson(yaml.def)).toBe(canonicalJson(json.def))
    expect(schemaSha256(yaml.def)).toBe(schemaSha256(json.def))
  })

  it('keeps column order and category order in the fingerprint (they change the output)', () => {
    const ab = goldgen.defineSchema({ goldgen: 1, columns: { a: { type: 'uuid' }, b: { type: 'uuid' } } })
    const ba = goldgen.defineSchema({ goldgen: 1, columns: { b: { type: 'uuid' }, a: { type: 'uuid' } } })
    expect(schemaSha256(ab.def)).not.toBe(schemaSha256(ba.def))
  })

  it('returns structured issues with code, path, message, line and column', () => {
    try {
      goldgen.parseSchema(
        'goldgen: 1\nname: Bad Name\ncolumns:\n  a: { type: float, precision: 40 }\n',
        'x.yaml',
      )
      expect.unreachable()
    } catch (e) {
      const error = e as GoldgenError
      expect(error.code).toBe('SCHEMA_INVALID')
      expect(error.file).toBe('x.yaml')
      expect(error.issues).toEqual([
        expect.objectContaining({ path: ['name'], line: 2, message: expect.stringContaining('lowercase') }),
        expect.objectContaining({
          path: ['columns', 'a', 'precision'],
          line: 4,
          message: 'expected a number ≤ 15, got 40',
        }),
      ])
    }
  })

  it('rejects duplicate keys and non-mapping documents', () => {
    expect(() =>
      goldgen.parseSchema('goldgen: 1\ncolumns:\n  a: { type: uuid }\n  a: { type: uuid }\n'),
    ).toThrow(/not valid YAML/)
    expect(() => goldgen.parseSchema('- 1\n- 2\n')).toThrow(/invalid schema/)
    expect(() => goldgen.parseSchema('goldgen: 1\ncolumns: {}\n')).toThrow(/invalid schema/)
  })
})
