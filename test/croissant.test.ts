/**
 * Croissant 1.1 JSON-LD, structurally checked (there is no Croissant validator on npm): the
 * required properties, FileObjects whose sha256 is the digest of what their contentUrl serves, a
 * field per column with its dataType, expansion with the `jsonld` package against the vendored
 * context (a document loader that refuses the network), and every reference resolving.
 */
import { createHash } from 'node:crypto'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Registry } from '../registry/service.ts'
import type { Manifest } from '../src/api/manifest.ts'
import { createApp } from '../src/server/app.ts'
import type { DataCard } from '../src/server/card/model.ts'
import { CROISSANT_CONTEXT_URL, croissantContext } from '../src/server/croissant/context.ts'
import { croissantDataType, croissantDocument } from '../src/server/croissant/document.ts'
import { tempDir } from './helpers.ts'
import { uiRegistry } from './ui/fixture.ts'

let registry: Registry
let app: ReturnType<typeof createApp>
const ORIGIN = 'http://goldgen.test'

beforeAll(async () => {
  registry = await uiRegistry(tempDir())
  app = createApp(registry)
})
afterAll(() => registry.close())

type Json = Record<string, unknown>

/** Serves the vendored Croissant context and refuses every other URL: no network. */
const documentLoader = async (url: string) => {
  if (url === CROISSANT_CONTEXT_URL)
    return { contextUrl: undefined, documentUrl: url, document: { '@context': croissantContext } }
  throw new Error(`the test's document loader refuses ${url}`)
}

async function expand(doc: unknown) {
  const jsonld = (await import('jsonld')).default
  return jsonld.expand(doc as Json, { documentLoader: documentLoader as never })
}

/** Every `{ "@id": X }` reference in a compacted document, and every node it defines. */
function references(doc: unknown) {
  const defined = new Set<string>()
  const referenced: string[] = []
  const walk = (v: unknown) => {
    if (Array.isArray(v)) return v.forEach(walk)
    if (v === null || typeof v !== 'object') return
    const o = v as Json
    if (typeof o['@id'] === 'string') {
      if (Object.keys(o).length === 1) referenced.push(o['@id'])
      else {
        expect(defined.has(o['@id']), `@id ${o['@id']} is defined twice`).toBe(false)
        defined.add(o['@id'])
      }
    }
    for (const [k, x] of Object.entries(o)) if (k !== '@context') walk(x)
  }
  walk(doc)
  return { defined, referenced }
}

const REQUIRED = [
  '@context',
  '@type',
  'conformsTo',
  'name',
  'description',
  'license',
  'url',
  'creator',
  'datePublished',
]
const S = 'https://schema.org/'

async function croissant(path: string) {
  const res = await app.request(`${ORIGIN}${path}`, { headers: { accept: 'application/ld+json' } })
  return { res, doc: res.status === 200 ? ((await res.json()) as Json) : undefined }
}

describe('Croissant JSON-LD', () => {
  it('has the required properties, in compact and in expanded form', async () => {
    const { res, doc } = await croissant('/v1/datasets/churn/versions/2/croissant')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/ld+json')
    for (const key of REQUIRED) expect(doc, key).toHaveProperty([key])
    expect(doc!.conformsTo).toBe('http://mlcommons.org/croissant/1.1')
    const [node] = (await expand(doc)) as Json[]
    expect(node!['@type']).toEqual([`${S}Dataset`])
    for (const iri of [
      'http://purl.org/dc/terms/conformsTo',
      ...['name', 'description', 'license', 'url', 'creator', 'datePublished'].map((k) => S + k),
    ])
      expect(node, iri).toHaveProperty([iri])
  })

  it('expands the same with the context inline or by URL (served from the vendored copy)', async () => {
    const { doc } = await croissant('/v1/datasets/churn/versions/2/croissant')
    const byUrl = { ...doc, '@context': CROISSANT_CONTEXT_URL }
    expect(await expand(byUrl)).toEqual(await expand(doc))
    await expect(expand({ ...doc, '@context': 'https://example.org/elsewhere.jsonld' })).rejects.toThrow()
  })

  it('distributes FileObjects whose sha256 is the digest of what contentUrl serves', async () => {
    const { doc } = await croissant('/v1/datasets/churn/versions/2/croissant')
    const files = doc!.distribution as Json[]
    expect(files.map((f) => f.encodingFormat)).toEqual(['application/vnd.apache.arrow.stream', 'text/csv'])
    const stored = await registry.resolve('churn@2')
    expect(files[0]!.sha256).toBe(stored.sha256)
    for (const f of files) {
      expect(f['@type']).toBe('cr:FileObject')
      const body = Buffer.from(await (await app.request(String(f.contentUrl))).arrayBuffer())
      expect(createHash('sha256').update(body).digest('hex')).toBe(f.sha256)
    }
  })

  it('has a record set with a field per column, its dataType, and references that resolve', async () => {
    const { doc } = await croissant('/v1/datasets/churn/versions/2/croissant')
    const manifest = (await registry.manifest('churn@2')) as Manifest
    const [set] = doc!.recordSet as Json[]
    const fields = set!.field as Json[]
    expect(fields.map((f) => f.name)).toEqual(Object.keys(manifest.columns))
    const types = Object.fromEntries(fields.map((f) => [f.name, f.dataType]))
    expect(types).toMatchObject({
      customer_id: 'sc:Integer',
      age: 'sc:Integer',
      income: 'sc:Float',
      active: 'sc:Boolean',
      signup: 'sc:Date',
      plan: 'sc:Text',
      code: 'sc:Text',
    })
    const { defined, referenced } = references(doc)
    expect(referenced.length).toBe(fields.length)
    for (const r of referenced) expect(defined, r).toContain(r)
    // Expanded, dataType is an IRI in schema.org.
    const [node] = (await expand(doc)) as Json[]
    const expandedFields = (
      (node!['http://mlcommons.org/croissant/recordSet'] as Json[])[0]![
        'http://mlcommons.org/croissant/field'
      ] as Json[]
    ).map((f) => (f['http://mlcommons.org/croissant/dataType'] as Json[])[0]!['@id'])
    expect(expandedFields).toContain(`${S}Integer`)
  })

  it('answers Accept: application/ld+json on the version URL, and redirects movable refs', async () => {
    const direct = await croissant('/v1/datasets/churn/versions/2/croissant')
    const negotiated = await croissant('/v1/datasets/churn/versions/2')
    expect(negotiated.doc).toEqual(direct.doc)
    const plain = await app.request('/v1/datasets/churn/versions/2')
    expect(plain.headers.get('content-type')).toMatch(/^application\/json/)
    const moved = await app.request('/v1/datasets/churn/versions/stable/croissant')
    expect(moved.status).toBe(307)
    expect(moved.headers.get('location')).toBe('/v1/datasets/churn/versions/2/croissant')
    expect((await croissant('/v1/datasets/nope/versions/1/croissant')).res.status).toBe(404)
  })

  it('describes an imported file too', async () => {
    const { doc } = await croissant('/v1/datasets/prices/versions/1/croissant')
    for (const key of REQUIRED) expect(doc, key).toHaveProperty([key])
    const fields = (doc!.recordSet as Json[])[0]!.field as Json[]
    expect(Object.fromEntries(fields.map((f) => [f.name, f.dataType]))).toEqual({
      sku: 'sc:Text',
      price: 'sc:Float',
      label: 'sc:Text',
    })
  })
})

describe('croissantDataType', () => {
  it('maps goldgen and Arrow types to schema.org types', () => {
    const cases: [string, string | undefined, string][] = [
      ['id', undefined, 'sc:Integer'],
      ['int', 'Int32', 'sc:Integer'],
      ['float', 'Float64', 'sc:Float'],
      ['bool', 'Bool', 'sc:Boolean'],
      ['date', 'Date32<DAY>', 'sc:Date'],
      ['datetime', 'Timestamp<MILLISECOND, UTC>', 'sc:DateTime'],
      ['datetime', undefined, 'sc:DateTime'],
      ['category', 'Dictionary<Int32, Utf8>', 'sc:Text'],
      ['uuid', 'Utf8', 'sc:Text'],
    ]
    for (const [type, arrowType, expected] of cases)
      expect(croissantDataType({ type, arrowType }), `${type} ${arrowType}`).toBe(expected)
  })
})

describe('croissantDocument (property)', () => {
  const column = (name: string, type: string): DataCard['columns'][number] => ({
    name,
    type,
    arrowType: undefined,
    description: undefined,
    count: 1,
    nullCount: 0,
    missingCount: 0,
    mechanism: null,
    missingAs: undefined,
    edgeCases: [],
    min: undefined,
    max: undefined,
    mean: undefined,
    nanCount: undefined,
    minLength: undefined,
    maxLength: undefined,
    top: [],
  })

  it('gives every column one field with a unique @id and references that resolve', () => {
    const types = [
      'int',
      'float',
      'bool',
      'date',
      'datetime',
      'category',
      'string',
      'Utf8',
      'Int32',
      'Float64',
    ]
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(fc.string({ minLength: 1, maxLength: 12 }), fc.constantFrom(...types)), {
          minLength: 1,
          maxLength: 12,
          selector: ([n]) => n,
        }),
        (cols) => {
          const card = {
            ref: 'd@1',
            dataset: 'd',
            version: 1,
            sha256: 'f'.repeat(64),
            format: 'csv',
            rows: 1,
            createdAt: '2026-01-01T00:00:00Z',
            createdBy: null,
            description: null,
            recipe: null,
            imported: 'd.csv',
            columns: cols.map(([n, t]) => column(n, t)),
          } as unknown as DataCard
          const doc = croissantDocument(
            card,
            [{ format: 'csv', contentUrl: '/x', sha256: 'f'.repeat(64) }],
            '/d',
          )
          const fields = doc.recordSet[0]!.field
          expect(fields.map((f) => f.name)).toEqual(cols.map(([n]) => n))
          const { defined, referenced } = references(doc)
          for (const r of referenced) expect(defined).toContain(r)
          for (const f of fields)
            expect(['sc:Integer', 'sc:Float', 'sc:Boolean', 'sc:Date', 'sc:DateTime', 'sc:Text']).toContain(
              f.dataType,
            )
        },
      ),
    )
  })
})
