/**
 * The storage conformance suite (test/conformance/stores.ts) against the PostgreSQL metadata
 * driver and the S3 blob driver, on real servers started here on loopback (test/servers/), plus
 * what only these drivers have: migrations applied once by replicas starting together (advisory
 * lock), the checksum modes (stored bytes round-trip exactly and hash to their key), range reads,
 * and connection errors that name the URL without its password.
 */
import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { PutObjectCommand } from '@aws-sdk/client-s3'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { postgresMetadataStore } from '../registry/postgres/index.ts'
import { rawObject, type S3BlobStore, s3BlobStore } from '../registry/s3/blobs.ts'
import type { MetadataStore } from '../registry/stores.ts'
import { describeBlobStore, describeMetadataStore } from './conformance/stores.ts'
import { tempDir } from './helpers.ts'
import { type PostgresServer, startPostgres } from './servers/postgres.ts'
import { type S3Server, startS3 } from './servers/s3.ts'

const root = tempDir()
const fresh = () => mkdtempSync(join(root, 'remote-'))
const sha = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex')

let pg: PostgresServer
let s3: S3Server
let databases = 0
let prefixes = 0
const opened: MetadataStore[] = []
const clients: S3BlobStore[] = []

beforeAll(async () => {
  pg = await startPostgres()
  s3 = await startS3()
  Object.assign(process.env, s3.env)
  // One migrated database, copied for every fresh store (CREATE DATABASE … TEMPLATE is quick).
  const template = await postgresMetadataStore(await pg.createDatabase('template_goldgen'))
  template.close()
  await template.ended
}, 60_000)

afterAll(async () => {
  for (const s of opened) s.close()
  await Promise.all(opened.map((s) => (s as { ended?: Promise<void> }).ended))
  // Open keep-alive sockets would hold the S3 server's close until they time out.
  for (const c of clients) c.close()
  await s3?.stop()
  pg?.stop()
})

async function freshDatabase(): Promise<string> {
  return pg.createDatabase(`db${++databases}`, 'template_goldgen')
}

async function track(store: Promise<MetadataStore>) {
  const s = await store
  opened.push(s)
  return s
}

describeMetadataStore(
  'postgres',
  async () => track(postgresMetadataStore(await freshDatabase())),
  async () => {
    const url = await freshDatabase()
    return [await track(postgresMetadataStore(url)), await track(postgresMetadataStore(url))]
  },
  5,
)

async function freshBlobs(
  url?: string,
  checksums?: 'WHEN_REQUIRED' | 'WHEN_SUPPORTED',
): Promise<S3BlobStore> {
  const blobs = await s3BlobStore(url ?? `s3://${s3.bucket}/p${++prefixes}`, {
    cacheDir: join(fresh(), 'cache'),
    checksums,
    partSize: 5 * 1024 * 1024,
  })
  clients.push(blobs)
  return blobs
}

describeBlobStore(
  's3',
  async () => {
    const blobs = await freshBlobs()
    const scratch = join(fresh(), 'scratch')
    mkdirSync(scratch)
    return {
      blobs,
      scratch,
      async corrupt(sha256, bytes) {
        await blobs.client.send(
          new PutObjectCommand({ Bucket: blobs.bucket, Key: blobs.keyOf(sha256), Body: bytes }),
        )
      },
    }
  },
  8,
)

describe('PostgreSQL driver', () => {
  it('applies the migrations once when several replicas start together on an empty database', async () => {
    const url = await pg.createDatabase('racing')
    const stores = await Promise.all(Array.from({ length: 4 }, () => track(postgresMetadataStore(url))))
    const { default: pgLib } = await import('pg')
    const client = new pgLib.Client({ connectionString: url })
    await client.connect()
    const applied = await client.query('select count(*)::int as n from drizzle.__drizzle_migrations')
    await client.end()
    expect(applied.rows[0].n).toBe(1)
    const published = await Promise.all(
      stores.map((s, i) =>
        s.publishVersion({
          dataset: 'ds',
          sha256: sha(`v${i}`),
          bytes: 1,
          format: 'csv',
          rows: 1,
          recipe: null,
          manifestSha256: sha(`m${i}`),
          manifestBytes: 1,
        }),
      ),
    )
    expect(published.map((p) => p.version.version).sort()).toEqual([1, 2, 3, 4])
  })

  it('names the URL without its password when it cannot connect', async () => {
    const url = `postgres://ann:s3cret-pw@127.0.0.1:${pg.port + 1}/nowhere`
    const err = await postgresMetadataStore(url).catch((e: unknown) => e)
    expect(err).toMatchObject({ code: 'IO' })
    expect((err as Error).message).toContain(`postgres://ann@127.0.0.1:${pg.port + 1}/nowhere`)
    expect((err as Error).message).not.toContain('s3cret-pw')
  })
})

describe('S3 driver', () => {
  for (const mode of ['WHEN_REQUIRED', 'WHEN_SUPPORTED'] as const) {
    it(`stores bytes that round-trip exactly and hash to their key (checksums ${mode})`, async () => {
      const blobs = await freshBlobs(undefined, mode)
      const scratch = fresh()
      await fc.assert(
        fc.asyncProperty(fc.uint8Array({ maxLength: 70_000 }), fc.boolean(), async (bytes, asFile) => {
          let put: { sha256: string; bytes: number }
          try {
            if (asFile) {
              const f = join(scratch, 'in')
              writeFileSync(f, bytes)
              put = await blobs.putFile(f)
            } else put = await blobs.putBytes(bytes)
          } catch (e) {
            // A store that keeps checksum framing inside objects is refused, never stored wrong.
            expect(mode).toBe('WHEN_SUPPORTED')
            expect((e as Error).message).toMatch(/checksum mode "required"/)
            expect(await blobs.has(sha(bytes))).toBe(false)
            return
          }
          expect(put).toEqual({ sha256: sha(bytes), bytes: bytes.length })
          const raw = await rawObject(blobs, put.sha256)
          expect(raw.equals(Buffer.from(bytes))).toBe(true)
          expect(sha(raw)).toBe(put.sha256)
        }),
        { numRuns: 12 },
      )
      blobs.close()
    })
  }

  it('uploads large blobs in parts and serves any byte range of them exactly', async () => {
    const blobs = await freshBlobs()
    const data = new Uint8Array(11 * 1024 * 1024).map((_, i) => (i * 13 + (i >> 10)) % 256)
    const file = join(fresh(), 'big')
    writeFileSync(file, data)
    const { sha256 } = await blobs.putFile(file)
    expect(sha256).toBe(sha(data))
    await fc.assert(
      fc.asyncProperty(fc.nat(data.length - 1), fc.nat(100_000), async (start, length) => {
        const end = Math.min(data.length - 1, start + length)
        const chunks: Buffer[] = []
        for await (const c of await blobs.openRange(sha256, start, end)) chunks.push(c as Buffer)
        expect(Buffer.concat(chunks).equals(Buffer.from(data.subarray(start, end + 1)))).toBe(true)
      }),
      { numRuns: 8 },
    )
    blobs.close()
  })

  it('names the bucket and endpoint when the store cannot be reached', async () => {
    const err = await freshBlobs('s3://no-such-bucket/x').catch((e: unknown) => e)
    expect(err).toMatchObject({ code: 'IO' })
    expect((err as Error).message).toContain('s3://no-such-bucket/x')
    expect((err as Error).message).toContain(s3.endpoint)
  })
})
