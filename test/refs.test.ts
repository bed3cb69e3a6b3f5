/**
 * JSON Schemas that refer to other documents: `goldgen import --refs DIR / --ref FILE` and
 * `generate` of a JSON Schema with the same options resolve `$ref`s offline by `$id`, by a path
 * relative to the referring document, and by file name; the documents used travel in
 * `records.refs`, so the canonical recipe regenerates the same records; a reference none of
 * the documents resolves is a clear error naming it.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse as parseYaml } from 'yaml'
import { canonicalDef } from '../schemas/canonical.ts'
import type { DatasetDef } from '../schemas/language.ts'
import { validateDef } from '../schemas/parse.ts'
import { generate } from '../src/api/generate.ts'
import { GoldgenError } from '../src/core/errors.ts'
import { importJsonSchemaFile, parseJsonText } from '../src/jsonschema/import.ts'
import { loadRefLibrary } from '../src/jsonschema/refs.ts'
import { cli, ROOT, tempDir } from './helpers.ts'

const DIR = join(ROOT, 'test/fixtures/refs')
const ORDER = join(DIR, 'order.schema.json')
const NOTE = join(DIR, 'note.schema.json')
const dir = tempDir()
const library = loadRefLibrary(parseJsonText, [DIR])
const read = (f: string) => JSON.parse(readFileSync(f, 'utf8')) as Record<string, unknown>

async function records(
  def: DatasetDef,
  name: string,
  rows = 200,
): Promise<{ text: string; rows: unknown[] }> {
  const out = join(dir, `${name}.jsonl`)
  await generate({ def }, { out, rows, seed: 5, manifest: false })
  const text = readFileSync(out, 'utf8')
  return {
    text,
    rows: text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l)),
  }
}

/** An ajv of its own, given every document under its own `$id`: the records' independent check. */
function independentValidator() {
  const require = createRequire(import.meta.url)
  const Ajv = require('ajv/dist/2020.js').default
  const addFormats = require('ajv-formats')
  const ajv = new Ajv({ strict: false })
  addFormats(ajv)
  ajv.addSchema(read(join(DIR, 'user-profile.schema.json')))
  ajv.addSchema(read(join(DIR, 'shared/address.json')))
  ajv.addSchema({
    ...read(join(DIR, 'shared/countries.json')),
    $id: 'https://example.com/schemas/shared/countries.json',
  })
  return ajv.compile(read(ORDER))
}

const thrown = (f: () => unknown): GoldgenError => {
  try {
    f()
  } catch (e) {
    if (e instanceof GoldgenError) return e
    throw e
  }
  throw new Error('expected an error')
}

describe('JSON Schema references to other documents', () => {
  it('resolves by $id, by relative path against the $id, and by file name; records validate', async () => {
    const { def } = importJsonSchemaFile(ORDER, { refs: library })
    expect(Object.keys(def.records!.refs ?? {}).sort()).toEqual([
      'https://example.com/schemas/shared/address.json',
      'https://example.com/schemas/shared/countries.json',
      'https://example.com/user-profile.schema.json',
    ])
    const { rows } = await records(def, 'order')
    const validate = independentValidator()
    for (const r of rows) expect(validate(r), JSON.stringify(validate.errors)).toBe(true)
    const tiers = new Set(rows.map((r) => (r as { customer: { tier: string } }).customer.tier))
    expect([...tiers].sort()).toEqual(['enterprise', 'free', 'pro'])
  })

  it('the recipe (canonical form, as the registry stores it) regenerates the same records without the files', async () => {
    const { def, yaml } = importJsonSchemaFile(ORDER, { refs: library })
    const first = await records(def, 'order-a')
    const recipe = JSON.parse(JSON.stringify(canonicalDef(def))) as DatasetDef
    const fromRecipe = await records(validateDef(recipe), 'order-b')
    expect(fromRecipe.text).toBe(first.text)
    // The imported YAML carries the documents too.
    const fromYaml = await records(validateDef(parseYaml(yaml)), 'order-c')
    expect(fromYaml.text).toBe(first.text)
  })

  it('a reference none of the documents resolves is an error naming it', () => {
    const missing = thrown(() => importJsonSchemaFile(NOTE, { refs: library }))
    expect(missing.code).toBe('SCHEMA_INVALID')
    expect(missing.issues[0]!.message).toContain('"person.json"')
    expect(missing.issues[0]!.message).toContain(`--refs ${DIR}`)
    expect(missing.issues[0]!.path).toEqual(['properties', 'author', '$ref'])
    const none = thrown(() => importJsonSchemaFile(ORDER))
    expect(none.issues[0]!.message).toMatch(/user-profile\.schema\.json.*--refs DIR or --ref FILE/)
  })

  it('goldgen import --ref FILE (repeatable) and generate with the same options', () => {
    const person = join(dir, 'person.json')
    writeFileSync(
      person,
      JSON.stringify({ type: 'object', required: ['name'], properties: { name: { enum: ['ada', 'alan'] } } }),
    )
    const out = join(dir, 'note.yaml')
    const ok = cli(['import', NOTE, '--ref', person, '--ref', join(DIR, 'shared/countries.json'), '-o', out])
    expect(ok.stderr).toBe('')
    expect(ok.code).toBe(0)
    expect(parseYaml(readFileSync(out, 'utf8')).records.refs).toHaveProperty([
      'https://goldgen.invalid/person.json',
    ])
    const gen = cli([
      'generate',
      NOTE,
      '--ref',
      person,
      '-n',
      '20',
      '-f',
      'jsonl',
      '-o',
      '-',
      '--no-manifest',
    ])
    expect(gen.code).toBe(0)
    const names = gen.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l).author.name)
    for (const n of names) expect(['ada', 'alan']).toContain(n)
    const viaDir = cli([
      'generate',
      ORDER,
      '--refs',
      DIR,
      '-n',
      '5',
      '-f',
      'jsonl',
      '-o',
      '-',
      '--no-manifest',
    ])
    expect(viaDir.code).toBe(0)
    expect(viaDir.stdout.trim().split('\n')).toHaveLength(5)
    const bad = cli(['import', NOTE, '--refs', DIR])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('person.json')
    expect(bad.stderr).not.toMatch(/\n\s+at /)
  })
})
