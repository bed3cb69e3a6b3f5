/**
 * Parquet: byte-determinism, what the file's footer pins, and values read back both by goldgen's
 * own reader and by an independent one (DuckDB's node package) — nulls, NaN, ±Infinity, -0,
 * categories, dates, datetimes. Also: a --format that contradicts the output's extension.
 */
import { createHash } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'
import { describe, expect, it } from 'vitest'
import { openRegistry } from '../registry/service.ts'
import { createClient } from '../src/client/index.ts'
import { openRows } from '../src/formats/read.ts'
import { listen } from '../src/server/listen.ts'
import { cli, EXAMPLES, goldgen, ROOT, tempDir } from './helpers.ts'

const EDGE = join(ROOT, 'test/fixtures/parquet-edge.yaml')
const dir = tempDir()
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex')

async function duck() {
  const connection = await (await DuckDBInstance.create(':memory:')).connect()
  return async (sql: string) => (await connection.runAndReadAll(sql)).getRowObjectsJS()
}

async function rowsOf(file: string) {
  const source = await openRows(file)
  const rows = []
  for await (const row of source.rows) rows.push(row)
  return { rows, columns: source.columns() }
}

describe('Parquet output', async () => {
  const source = goldgen.loadSchema(EDGE)
  const first = await goldgen.generateBuffer(source, { format: 'parquet' })
  const file = join(dir, 'edge.parquet')
  writeFileSync(file, first.bytes)
  const arrowFile = join(dir, 'edge.arrow')
  writeFileSync(arrowFile, (await goldgen.generateBuffer(source, { format: 'arrow' })).bytes)
  const query = await duck()

  it('is byte-identical across runs and chunk sizes, and starts and ends with PAR1', async () => {
    for (const chunkRows of [65_536, 777]) {
      const again = await goldgen.generateBuffer(source, { format: 'parquet', chunkRows })
      expect(sha256(again.bytes)).toBe(sha256(first.bytes))
    }
    // Pinned: a change here means parquet-wasm or goldgen's writer settings changed the bytes.
    expect(sha256(first.bytes)).toBe('e1e743f60443484f972edfded2252ed47737b3a5482a1073e87e3f88c8ce879d')
    expect(Buffer.from(first.bytes.subarray(0, 4)).toString('latin1')).toBe('PAR1')
    expect(Buffer.from(first.bytes.subarray(-4)).toString('latin1')).toBe('PAR1')
    expect(first.manifest.files[0]).toMatchObject({
      format: 'parquet',
      mediaType: 'application/vnd.apache.parquet',
    })
    expect(first.manifest.libraries['parquet-wasm']).toBe('0.8.0')
  })

  it('pins created_by, ZSTD and the schema hash in the footer (read by DuckDB)', async () => {
    const [meta] = await query(`select created_by, num_rows from parquet_file_metadata('${file}')`)
    expect(meta).toMatchObject({ created_by: 'parquet-wasm version 0.8.0 (goldgen)', num_rows: 3000n })
    const kv = await query(`select decode(key) as k, decode(value) as v from parquet_kv_metadata('${file}')`)
    const byKey = Object.fromEntries(kv.map((r) => [r.k, r.v]))
    expect(byKey['goldgen.schemaSha256']).toBe(first.manifest.schemaSha256)
    const codecs = await query(`select distinct compression from parquet_metadata('${file}')`)
    expect(codecs.map((r) => r.compression)).toEqual(['ZSTD'])
  })

  it('DuckDB reads the same values goldgen wrote, NaN, ±Infinity, -0 and nulls included', async () => {
    const reference = (await rowsOf(arrowFile)).rows
    const duckRows = await query(
      `select id, n, x, c, d::varchar as d, epoch_ms(t) as t, s, ok from read_parquet('${file}') order by id`,
    )
    expect(duckRows).toHaveLength(reference.length)
    const columns = await query(`describe select * from read_parquet('${file}')`)
    expect(Object.fromEntries(columns.map((r) => [r.column_name, r.column_type]))).toEqual({
      id: 'BIGINT',
      n: 'INTEGER',
      x: 'DOUBLE',
      c: 'VARCHAR',
      d: 'DATE',
      t: 'TIMESTAMP WITH TIME ZONE',
      s: 'VARCHAR',
      ok: 'BOOLEAN',
    })
    let specials = 0
    for (let i = 0; i < reference.length; i++) {
      const want = reference[i]!
      const got = duckRows[i]!
      expect(Number(got.id)).toBe(want.id)
      expect(got.n).toBe(want.n)
      expect(Object.is(got.x, want.x) || (Number.isNaN(got.x) && Number.isNaN(want.x))).toBe(true)
      if (typeof want.x === 'number' && (!Number.isFinite(want.x) || Object.is(want.x, -0))) specials++
      expect(got.c).toBe(want.c)
      expect(got.d).toBe(want.d)
      expect(Number(got.t)).toBe(Date.parse(want.t as string))
      expect(got.s).toBe(want.s)
      expect(got.ok).toBe(want.ok)
    }
    // mode: all places each of NaN, Infinity, -Infinity and -0 at least once.
    expect(specials).toBeGreaterThanOrEqual(4)
    expect(reference.some((r) => r.n === null) && reference.some((r) => r.d === null)).toBe(true)
  })

  it("goldgen's own reader gives the rows and types of the Arrow output", async () => {
    const fromParquet = await rowsOf(file)
    const fromArrow = await rowsOf(arrowFile)
    expect(fromParquet.rows).toEqual(fromArrow.rows)
    expect(fromParquet.columns.map((c) => c.name)).toEqual(fromArrow.columns.map((c) => c.name))
    expect(fromParquet.columns.find((c) => c.name === 'c')?.type).toMatch(/^Dictionary/)
  })

  it('inspect, infer and compare read .parquet files', () => {
    const out = join(dir, 'churn.parquet')
    const churn = join(EXAMPLES, 'churn.yaml')
    expect(cli(['generate', churn, '--rows', '2000', '-o', out]).code).toBe(0)
    const inspected = cli(['inspect', out, '--json'])
    expect(inspected.code, inspected.stderr).toBe(0)
    expect(JSON.parse(inspected.stdout)).toMatchObject({ format: 'parquet', rows: 2000 })
    const inferred = cli(['infer', out, '-o', join(dir, 'inferred.yaml')])
    expect(inferred.code, inferred.stderr).toBe(0)
    const arrow = join(dir, 'churn.arrow')
    expect(cli(['generate', churn, '--rows', '2000', '-o', arrow]).code).toBe(0)
    const compared = cli(['compare', arrow, out, '--json'])
    expect(compared.code, compared.stderr).toBe(0)
    // The same rows in two formats: no distance at all.
    expect(JSON.parse(compared.stdout).meanTvd).toBe(0)
  })

  it('writes an empty dataset with its schema', async () => {
    const plain = goldgen.parseSchema(
      'goldgen: 1\ncolumns:\n  id: { type: id }\n  c: { type: category, values: [a, b] }\n',
    )
    const empty = await goldgen.generateBuffer(plain, { format: 'parquet', rows: 0 })
    const path = join(dir, 'empty.parquet')
    writeFileSync(path, empty.bytes)
    expect(await query(`select count(*) as n from read_parquet('${path}')`)).toEqual([{ n: 0n }])
    expect((await rowsOf(path)).columns.map((c) => c.name)).toEqual(['id', 'c'])
  })

  it('carries JSON Schema records (structs and lists)', async () => {
    const records = goldgen.loadSchema(join(EXAMPLES, 'order.schema.json'))
    const { bytes } = await goldgen.generateBuffer(records, { format: 'parquet', rows: 50 })
    const path = join(dir, 'orders.parquet')
    writeFileSync(path, bytes)
    const [row] = await query(
      `select len(lines) as n, customer.email as email from read_parquet('${path}') limit 1`,
    )
    const jsonl = Buffer.from((await goldgen.generateBuffer(records, { format: 'jsonl', rows: 1 })).bytes)
    const want = JSON.parse(jsonl.toString('utf8').split('\n')[0]!)
    expect(row).toEqual({ n: BigInt(want.lines.length), email: want.customer.email })
  })
})

describe('--format and the output extension', () => {
  it('is a usage error (exit 2) when they contradict, and fine when they agree', () => {
    const churn = join(EXAMPLES, 'churn.yaml')
    for (const [format, out] of [
      ['jsonl', 'x.csv'],
      ['csv', 'x.parquet'],
      ['parquet', 'x.arrow'],
    ] as const) {
      const r = cli(['generate', churn, '--rows', '100', '--format', format, '-o', join(dir, out)])
      expect(r.code, r.stderr).toBe(2)
      expect(r.stderr).toContain(`--format ${format} contradicts`)
      expect(r.stderr).not.toMatch(/\n\s+at /)
    }
    expect(cli(['generate', churn, '--rows', '100', '--format', 'csv', '-o', join(dir, 'ok.csv')]).code).toBe(
      0,
    )
    expect(cli(['generate', churn, '--rows', '100', '--format', 'csv', '-o', join(dir, 'ok.txt')]).code).toBe(
      0,
    )
    const sniffed = cli(['inspect', join(dir, 'ok.csv'), '--json'])
    expect(JSON.parse(sniffed.stdout).format).toBe('csv')
    expect(readFileSync(join(dir, 'ok.txt'), 'utf8')).toBe(readFileSync(join(dir, 'ok.csv'), 'utf8'))
  })
})

describe('Parquet through the registry, HTTP and the client', () => {
  it('serves application/vnd.apache.parquet and ?format=parquet, and the client fetches it', async () => {
    const registry = await openRegistry({ dir: join(dir, 'reg') })
    const server = await listen(registry, { host: '127.0.0.1', port: 0 })
    try {
      await registry.publishSchema(goldgen.loadSchema(EDGE), { dataset: 'edge', rows: 500 })
      const base = `${server.url}/v1/datasets/edge/versions/1/data`
      const negotiated = await fetch(base, { headers: { accept: 'application/vnd.apache.parquet' } })
      expect(negotiated.status).toBe(200)
      expect(negotiated.headers.get('content-type')).toBe('application/vnd.apache.parquet')
      const bytes = new Uint8Array(await negotiated.arrayBuffer())
      const byQuery = new Uint8Array(await (await fetch(`${base}?format=parquet`)).arrayBuffer())
      expect(sha256(byQuery)).toBe(sha256(bytes))
      const client = createClient({ baseUrl: server.url })
      expect(sha256(await client.dataset('edge@1').bytes('parquet'))).toBe(sha256(bytes))
      const path = join(dir, 'served.parquet')
      writeFileSync(path, bytes)
      const query = await duck()
      const served = await query(`select count(*) as n, count(n) as present from read_parquet('${path}')`)
      const rows = await client.dataset('edge@1').rows()
      expect(served).toEqual([{ n: 500n, present: BigInt(rows.filter((r) => r.n !== null).length) }])
    } finally {
      await server.close()
      registry.close()
    }
  })
})
