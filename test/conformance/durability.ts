/**
 * The storage conformance suite's durability part, for every driver: immutability, dedupe,
 * concurrent publishers on two handles of one store (as two replicas have), a publish that fails
 * midway leaving nothing visible, and integrity (corrupted blobs are errors, never data; a blob
 * is visible under its digest only when whole). Called by test/conformance/stores.ts.
 */
import { createHash } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { expect, it } from 'vitest'
import type { MetadataStore, NewVersion } from '../../registry/stores.ts'
import type { OpenedBlobs } from './stores.ts'

const sha = (s: string | Uint8Array) => createHash('sha256').update(s).digest('hex')

const version = (dataset: string, content: string): NewVersion => ({
  dataset,
  sha256: sha(content),
  bytes: content.length,
  format: 'csv',
  rows: 1,
  recipe: { content, nested: { b: 1, a: [1, 2] } },
  manifestSha256: sha(`manifest of ${content}`),
  manifestBytes: 10,
  createdBy: 'tester',
})

export function metadataDurability(
  open: () => Promise<MetadataStore>,
  openShared: () => Promise<[MetadataStore, MetadataStore]>,
) {
  it('keeps a version immutable: publishing its content again returns the very same record', async () => {
    const store = await open()
    try {
      const first = await store.publishVersion(version('ds', 'x'))
      await store.publishVersion(version('ds', 'y'))
      await store.moveAlias('ds', 'prod', first.version.id)
      const again = await store.publishVersion({ ...version('ds', 'x'), format: 'arrow', rows: 99 })
      expect(again.created).toBe(false)
      expect(again.version).toEqual(first.version)
      expect(await store.getVersion('ds', 1)).toEqual(first.version)
      // JSON comes back exactly as it went in (key order too: recipes are hashed and compared).
      expect(JSON.stringify(first.version.recipe)).toBe(JSON.stringify(version('ds', 'x').recipe))
    } finally {
      store.close()
    }
  })

  it('dedupes by content per dataset: the same bytes in two datasets are version 1 of each, one blob', async () => {
    const store = await open()
    try {
      const a = await store.publishVersion(version('a', 'same'))
      const b = await store.publishVersion(version('b', 'same'))
      expect([a.version.version, b.version.version, a.created, b.created]).toEqual([1, 1, true, true])
      expect(a.version.id).not.toBe(b.version.id)
      const referenced = [...(await store.referencedBlobs())]
      expect(referenced.filter((s) => s === sha('same'))).toHaveLength(1)
    } finally {
      store.close()
    }
  })

  it('gives concurrent publishers on two handles distinct consecutive versions, and one version per content', async () => {
    const [one, two] = await openShared()
    try {
      const contents = Array.from({ length: 12 }, (_, i) => `c${i}`)
      const results = await Promise.all([
        ...contents.map((c, i) => (i % 2 === 0 ? one : two).publishVersion(version('ds', c))),
        // The same content from both handles at once: one of them creates it.
        one.publishVersion(version('ds', 'both')),
        two.publishVersion(version('ds', 'both')),
      ])
      const numbers = results.filter((r) => r.created).map((r) => r.version.version)
      expect(numbers.sort((x, y) => x - y)).toEqual(Array.from({ length: 13 }, (_, i) => i + 1))
      const both = results.slice(-2)
      expect(both.filter((r) => r.created)).toHaveLength(1)
      expect(both[0]!.version.id).toBe(both[1]!.version.id)
      const listed = await two.listVersions('ds')
      expect(new Set(listed.map((v) => v.sha256)).size).toBe(13)
      expect(listed.map((v) => v.version)).toEqual(Array.from({ length: 13 }, (_, i) => i + 1))
      // Alias moves from both handles all land in the history, in order.
      await Promise.all(listed.slice(0, 6).map((v, i) => (i % 2 ? one : two).moveAlias('ds', 'prod', v.id)))
      const history = await one.aliasHistory('ds')
      expect(history).toHaveLength(6)
      for (let i = 1; i < history.length; i++) expect(history[i]!.from).toBe(history[i - 1]!.to)
      expect((await one.getAlias('ds', 'prod'))?.version).toBe(history.at(-1)!.to)
    } finally {
      one.close()
      two.close()
    }
  })

  it('leaves nothing visible of a publish that fails midway', async () => {
    const store = await open()
    try {
      // A version whose row cannot be written (no format) fails after its dataset and blob rows.
      const broken = { ...version('ds', 'half'), format: null as unknown as string }
      await expect(store.publishVersion(broken)).rejects.toThrow()
      expect(await store.datasetExists('ds')).toBe(false)
      expect(await store.listDatasets()).toEqual([])
      expect((await store.referencedBlobs()).has(sha('half'))).toBe(false)
      const ok = await store.publishVersion(version('ds', 'whole'))
      expect(ok.version.version).toBe(1)
      expect(await store.integrityCheck()).toBe('ok')
    } finally {
      store.close()
    }
  })
}

export function blobDurability(open: () => Promise<OpenedBlobs> | OpenedBlobs) {
  it('answers corrupted content with an INTEGRITY error on every read path, never data', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 1, maxLength: 500 }),
        fc.uint8Array({ maxLength: 500 }),
        async (good, bad) => {
          fc.pre(sha(good) !== sha(bad))
          const { blobs, corrupt } = await open()
          const { sha256 } = await blobs.putBytes(good)
          await corrupt(sha256, bad)
          await expect(blobs.read(sha256)).rejects.toMatchObject({ code: 'INTEGRITY' })
          await expect(blobs.verifiedPath(sha256)).rejects.toMatchObject({ code: 'INTEGRITY' })
        },
      ),
      { numRuns: 5 },
    )
  })

  it('dedupes: the same bytes stored many times at once are one blob that reads back whole', async () => {
    const { blobs, scratch } = await open()
    const data = new Uint8Array(200_000).map((_, i) => (i * 31) % 251)
    const files = Array.from({ length: 3 }, (_, i) => {
      const f = join(scratch, `dup-${i}`)
      writeFileSync(f, data)
      return f
    })
    const results = await Promise.all([
      ...files.map((f) => blobs.putFile(f)),
      blobs.putBytes(data),
      blobs.putBytes(data),
    ])
    expect(new Set(results.map((r) => r.sha256))).toEqual(new Set([sha(data)]))
    expect(await blobs.list()).toEqual([sha(data)])
    expect(Buffer.from(await blobs.read(sha(data))).equals(Buffer.from(data))).toBe(true)
  })

  it('shows a blob under its digest only when whole: readers racing a writer get all of it or nothing', async () => {
    const { blobs } = await open()
    const data = new Uint8Array(3_000_000).map((_, i) => (i * 7) % 256)
    const digest = sha(data)
    let done = false
    const writing = blobs.putBytes(data).finally(() => {
      done = true
    })
    while (!done) {
      if (await blobs.has(digest)) {
        expect(Buffer.from(await blobs.read(digest)).equals(Buffer.from(data))).toBe(true)
      }
      await new Promise((r) => setTimeout(r, 2))
    }
    await writing
    expect(await blobs.has(digest)).toBe(true)
  })
}
