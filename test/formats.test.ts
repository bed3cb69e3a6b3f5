/** Output read back by independent readers (apache-arrow, csv-parse, JSON.parse): counts, types and values equal. */
import { tableFromIPC } from 'apache-arrow'
import { parse } from 'csv-parse/sync'
import { describe, expect, it } from 'vitest'
import type { ColumnBlock } from '../src/index.ts'
import { formats } from '../src/index.ts'
import { columnValues, goldgen, schema } from './helpers.ts'

const ALL_TYPES = schema({
  goldgen: 1,
  name: 'all-types',
  columns: {
    id: { type: 'id', start: 10, step: 5 },
    small: { type: 'int', min: -5, max: 5 },
    big: { type: 'int', min: -1e12, max: 1e12 },
    x: { type: 'float', min: -1, max: 1 },
    cat: { type: 'category', values: { 'a,b': 1, 'say "hi"': 1, plain: 2, 'multi\nline': 1 } },
    flag: { type: 'bool', p: 0.3 },
    day: { type: 'date', min: '1969-12-01', max: '2100-01-01' },
    at: { type: 'datetime', min: '1960-01-01T00:00:00Z', max: '2090-01-01T00:00:00Z' },
    uid: { type: 'uuid' },
    text: { type: 'string', alphabet: 'a,"\n é😀', min_length: 0, max_length: 6 },
    who: { type: 'faker', method: 'person.fullName', locale: 'ja' },
  },
})
const ROWS = 70_000 // crosses a block and an Arrow batch boundary
const DAY = 86_400_000

async function bytesOf(format: 'arrow' | 'arrow-file' | 'csv' | 'jsonl', rows = ROWS) {
  return (await goldgen.generateBuffer(ALL_TYPES, { rows, seed: 5, format })).bytes
}

describe('Arrow IPC stream and file', () => {
  for (const format of ['arrow', 'arrow-file'] as const) {
    it(`${format}: apache-arrow reads back the same types, row count and values`, async () => {
      const expected = columnValues(ALL_TYPES, { rows: ROWS, seed: 5 })
      const table = tableFromIPC(await bytesOf(format))
      expect(table.numRows).toBe(ROWS)
      expect(table.batches.map((b) => b.numRows)).toEqual([65_536, ROWS - 65_536])
      const types = Object.fromEntries(table.schema.fields.map((f) => [f.name, String(f.type)]))
      expect(types).toEqual({
        id: 'Int64',
        small: 'Int32',
        big: 'Int64',
        x: 'Float64',
        cat: 'Dictionary<Int32, Utf8>',
        flag: 'Bool',
        day: 'Date32<DAY>',
        at: 'Timestamp<MILLISECOND, UTC>',
        uid: 'Utf8',
        text: 'Utf8',
        who: 'Utf8',
      })
      for (const field of table.schema.fields) {
        const got = table.getChild(field.name)!.toArray() as ArrayLike<unknown>
        const want = expected[field.name]!
        const norm = (v: unknown, i: number): unknown => {
          if (field.name === 'flag') return v ? 1 : 0
          if (typeof v === 'bigint') return Number(v)
          if (field.name === 'day') return Number(v) / DAY === want[i] ? want[i] : v
          return v
        }
        let mismatches = 0
        for (let i = 0; i < ROWS; i++) if (!Object.is(norm(got[i], i), want[i])) mismatches++
        expect(mismatches, field.name).toBe(0)
      }
    })
  }

  it('writes an empty dataset as a readable file with the schema and no rows', async () => {
    for (const format of ['arrow', 'arrow-file'] as const) {
      const table = tableFromIPC(await bytesOf(format, 0))
      expect(table.numRows).toBe(0)
      expect(table.schema.fields.map((f) => f.name)).toHaveLength(11)
    }
  })
})

describe('CSV', () => {
  it('round-trips through csv-parse: header, row count and every value as text', async () => {
    const expected = columnValues(ALL_TYPES, { rows: 5000, seed: 5 })
    const text = Buffer.from(await bytesOf('csv', 5000)).toString('utf8')
    expect(text.endsWith('\r\n')).toBe(true)
    const records = parse(text, { columns: true, record_delimiter: '\r\n' }) as Record<string, string>[]
    expect(records).toHaveLength(5000)
    records.forEach((r, i) => {
      expect(Number(r.id)).toBe(expected.id![i])
      expect(Number(r.big)).toBe(expected.big![i])
      expect(Number(r.x)).toBe(expected.x![i])
      expect(r.cat).toBe(expected.cat![i])
      expect(r.flag).toBe(expected.flag![i] === 1 ? 'true' : 'false')
      expect(r.day).toBe(new Date((expected.day![i] as number) * DAY).toISOString().slice(0, 10))
      expect(Date.parse(r.at!)).toBe(expected.at![i])
      expect(r.text).toBe(expected.text![i])
      expect(r.who).toBe(expected.who![i])
    })
  })
})

describe('JSONL', () => {
  it('parses line by line into the same values, keys in column order', async () => {
    const expected = columnValues(ALL_TYPES, { rows: 5000, seed: 5 })
    const lines = Buffer.from(await bytesOf('jsonl', 5000))
      .toString('utf8')
      .trimEnd()
      .split('\n')
    expect(lines).toHaveLength(5000)
    lines.forEach((line, i) => {
      const row = JSON.parse(line) as Record<string, unknown>
      expect(Object.keys(row)).toEqual(Object.keys(ALL_TYPES.def.columns!))
      expect(row.big).toBe(expected.big![i])
      expect(row.x).toBe(expected.x![i])
      expect(row.cat).toBe(expected.cat![i])
      expect(row.flag).toBe(expected.flag![i] === 1)
      expect(row.text).toBe(expected.text![i])
    })
  })
})

describe('special values in every writer', () => {
  // Hand-made blocks: NaN, ±Infinity and -0 are values, null is null, "" is not null.
  const floats: ColumnBlock = {
    kind: 'float64',
    values: Float64Array.from([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, 0, 1.5]),
    validity: Uint8Array.from([1, 1, 1, 1, 0, 1]),
  }
  const texts: ColumnBlock = {
    kind: 'utf8',
    values: ['', 'x', '', ' ', 'a"b', 'é'],
    validity: Uint8Array.from([1, 1, 0, 1, 1, 1]),
  }
  const columns = [
    { name: 'f', kind: 'float64' as const },
    { name: 's', kind: 'utf8' as const },
  ]
  async function encode(format: keyof typeof formats): Promise<Buffer> {
    const parts: Buffer[] = []
    const enc = await formats[format].open(columns, (b) => parts.push(Buffer.from(b)))
    enc.write([floats, texts])
    enc.end()
    return Buffer.concat(parts)
  }

  it('Arrow keeps NaN, ±Infinity and -0 as values and nulls as nulls', async () => {
    for (const format of ['arrow', 'arrow-file'] as const) {
      const table = tableFromIPC(await encode(format))
      const f = table.getChild('f')!
      expect(Number.isNaN(f.get(0))).toBe(true)
      expect(f.get(1)).toBe(Number.POSITIVE_INFINITY)
      expect(f.get(2)).toBe(Number.NEGATIVE_INFINITY)
      expect(Object.is(f.get(3), -0)).toBe(true)
      expect(f.get(4)).toBeNull()
      expect(f.nullCount).toBe(1)
      const s = table.getChild('s')!
      expect([s.get(0), s.get(1), s.get(2), s.get(3), s.get(4), s.get(5)]).toEqual([
        '',
        'x',
        null,
        ' ',
        'a"b',
        'é',
      ])
    }
  })

  it('CSV writes NaN, Infinity, -Infinity, -0; null as an empty field and "" quoted', async () => {
    expect((await encode('csv')).toString('utf8')).toBe(
      'f,s\r\nNaN,""\r\nInfinity,x\r\n-Infinity,\r\n-0, \r\n,"a""b"\r\n1.5,é\r\n',
    )
  })

  it('JSONL writes "NaN", "Infinity", "-Infinity" as strings, -0 as a number, null as null', async () => {
    const rows = (await encode('jsonl'))
      .toString('utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l))
    expect(rows.map((r) => r.f)).toEqual(['NaN', 'Infinity', '-Infinity', -0, null, 1.5])
    expect(Object.is(rows[3].f, -0)).toBe(true)
    expect(rows.map((r) => r.s)).toEqual(['', 'x', null, ' ', 'a"b', 'é'])
  })
})

describe('special values from edge cases, end to end', () => {
  const source = schema({
    goldgen: 1,
    columns: {
      x: {
        type: 'float',
        min: 0,
        max: 1,
        edge_cases: { mode: 'all', include: ['nan', 'inf', '-inf', '-0'] },
        missing: { count: 3 },
      },
    },
  })
  const expectKind = (kind: string, v: unknown) => {
    if (kind === 'nan') expect(Number.isNaN(v)).toBe(true)
    if (kind === 'inf') expect(v).toBe(Number.POSITIVE_INFINITY)
    if (kind === '-inf') expect(v).toBe(Number.NEGATIVE_INFINITY)
    if (kind === '-0') expect(Object.is(v, -0)).toBe(true)
  }
  for (const format of ['arrow', 'arrow-file', 'csv', 'jsonl'] as const) {
    it(`${format}: NaN, ±Infinity and -0 are values (not nulls), read back at the rows the manifest records`, async () => {
      const { bytes, manifest } = await goldgen.generateBuffer(source, { rows: 40, seed: 6, format })
      let values: unknown[]
      if (format === 'arrow' || format === 'arrow-file') {
        const x = tableFromIPC(bytes).getChild('x')!
        values = Array.from({ length: 40 }, (_, i) => x.get(i))
      } else if (format === 'csv') {
        const records = parse(Buffer.from(bytes).toString('utf8'), { columns: true }) as { x: string }[]
        values = records.map((r) => (r.x === '' ? null : Number(r.x)))
      } else {
        const rows = Buffer.from(bytes)
          .toString('utf8')
          .trimEnd()
          .split('\n')
          .map((l) => JSON.parse(l).x)
        values = rows.map((v) => (typeof v === 'string' ? Number(v) : v))
      }
      const edges = manifest.columns.x!.edgeCases
      expect(Object.keys(edges).sort()).toEqual(['-0', '-inf', 'inf', 'nan'])
      for (const [kind, rows] of Object.entries(edges)) for (const r of rows) expectKind(kind, values[r])
      expect(values.filter((v) => v === null)).toHaveLength(3)
      expect(manifest.columns.x).toMatchObject({ nullCount: 3, missingCount: 3, nanCount: 1 })
    })
  }
})
