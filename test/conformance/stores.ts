/**
 * The conformance suite every registry storage driver must pass: the `MetadataStore` and
 * `BlobStore` contracts (registry/stores.ts) checked through the interfaces alone. A driver's
 * test file calls `describeMetadataStore` / `describeBlobStore` with a factory that opens a
 * fresh, empty store (test/stores.test.ts does so for the SQLite and file-system drivers).
 */
import { createHash } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { BlobStore, LedgerEntry, MetadataStore, NewVersion } from '../../registry/stores.ts'
import { GoldgenError } from '../../src/core/errors.ts'
import { blobDurability, metadataDurability } from './durability.ts'

export const sha = (s: string) => createHash('sha256').update(s).digest('hex')

export const newVersion = (dataset: string, content: string): NewVersion => ({
  dataset,
  sha256: sha(content),
  bytes: content.length,
  format: 'csv',
  rows: 1,
  recipe: { content },
  manifestSha256: sha(`manifest of ${content}`),
  manifestBytes: 10,
  createdBy: 'tester',
})

const entry = (releaseId: string, source: string): LedgerEntry => ({
  releaseId,
  sourceSha256: sha(source),
  sourceName: source,
  mechanism: 'gaussian',
  rho: 0.5,
  epsilon: 1,
  delta: 1e-6,
  guarantee: true,
  produced: 'd@1',
  detail: { spends: [] },
})

/** Version numbering under any sequence of publishes, duplicates included (a property). */
function numbersVersions(open: () => Promise<MetadataStore>, runs: number) {
  it('numbers versions 1, 2, … per dataset by first appearance; the same content again returns the existing version', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom('a', 'b', 'c', 'd'), { minLength: 1, maxLength: 8 }),
        async (contents) => {
          const store = await open()
          try {
            const firsts: string[] = []
            for (const c of contents) {
              const { version, created } = await store.publishVersion(newVersion('ds', c))
              expect(created).toBe(!firsts.includes(c))
              if (created) firsts.push(c)
              expect(version.version).toBe(firsts.indexOf(c) + 1)
              expect(version.recipe).toEqual({ content: c })
            }
            expect((await store.listVersions('ds')).map((v) => v.sha256)).toEqual(firsts.map(sha))
            expect((await store.latestVersion('ds'))?.version).toBe(firsts.length)
            expect(await store.listDatasets()).toEqual([
              { name: 'ds', versions: firsts.length, latest: firsts.length },
            ])
          } finally {
            store.close()
          }
        },
      ),
      { numRuns: runs },
    )
  })
}

/** Runs the metadata-store contract against stores made by `open` (each call: a new, empty store). */
export function describeMetadataStore(
  name: string,
  open: () => Promise<MetadataStore>,
  /** Two handles (as two replicas would have) on one fresh, empty store. */
  openShared: () => Promise<[MetadataStore, MetadataStore]>,
  /** Property-test runs (fewer for drivers on a server: each run opens a fresh store). */
  runs = 10,
) {
  describe(`MetadataStore conformance: ${name}`, () => {
    numbersVersions(open, runs)
    metadataDurability(open, openShared)

    it('looks versions up by number, digest prefix and alias, and keeps every alias move', async () => {
      const store = await open()
      try {
        expect(await store.datasetExists('ds')).toBe(false)
        const v1 = (await store.publishVersion(newVersion('ds', 'one'))).version
        const v2 = (await store.publishVersion(newVersion('ds', 'two'))).version
        expect(await store.datasetExists('ds')).toBe(true)
        expect((await store.getVersion('ds', 1))?.sha256).toBe(sha('one'))
        expect(await store.getVersion('ds', 3)).toBeUndefined()
        expect((await store.versionsBySha('ds', sha('two').slice(0, 8))).map((v) => v.version)).toEqual([2])
        const first = await store.moveAlias('ds', 'prod', v1.id, 'ann')
        expect(first).toMatchObject({ name: 'prod', from: null, to: 1, movedBy: 'ann' })
        const second = await store.moveAlias('ds', 'prod', v2.id)
        expect(second).toMatchObject({ name: 'prod', from: 1, to: 2, movedBy: null })
        expect((await store.getAlias('ds', 'prod'))?.version).toBe(2)
        expect(await store.getAlias('ds', 'staging')).toBeUndefined()
        expect(await store.aliases('ds')).toEqual({ prod: 2 })
        expect((await store.aliasHistory('ds')).map((m) => [m.from, m.to])).toEqual([
          [null, 1],
          [1, 2],
        ])
      } finally {
        store.close()
      }
    })

    it('keeps model versions and immutable expectations, and reports every referenced blob', async () => {
      const store = await open()
      try {
        const v = (await store.publishVersion(newVersion('ds', 'inputs'))).version
        const added = await store.addModelVersion('churn', '1.0.0', { owner: 'ml' })
        expect(added.created).toBe(true)
        expect((await store.addModelVersion('churn', '1.0.0', {})).created).toBe(false)
        expect(await store.getModelVersion('churn', '1.0.0')).toMatchObject({ metadata: { owner: 'ml' } })
        expect(await store.getModelVersion('churn', '2.0.0')).toBeUndefined()
        await store.addModelVersion('churn', '2.0.0', {})
        expect((await store.listModelVersions()).map((m) => [m.model, m.version, m.metadata])).toEqual([
          ['churn', '1.0.0', { owner: 'ml' }],
          ['churn', '2.0.0', {}],
        ])
        const e = {
          modelVersionId: added.record.id,
          datasetVersionId: v.id,
          sha256: sha('outputs'),
          bytes: 7,
          format: 'csv',
          rows: 1,
          tolerances: { score: { kind: 'atol' as const, value: 0.01 } },
        }
        const first = await store.addExpectation(e)
        expect(first).toMatchObject({ created: true, replaced: null })
        expect(await store.addExpectation(e)).toEqual({ created: false, id: first.id, replaced: null })
        await expect(store.addExpectation({ ...e, sha256: sha('other') })).rejects.toMatchObject({
          code: 'CONFLICT',
        })
        // An update is a new, current record; the old one stays in the history.
        const updated = await store.addExpectation({ ...e, sha256: sha('newer'), update: true })
        expect(updated).toMatchObject({ created: true, replaced: first.id })
        expect((await store.expectations(added.record.id)).map((x) => x.sha256)).toEqual([sha('newer')])
        expect((await store.expectationHistory(added.record.id)).map((x) => x.sha256)).toEqual([
          sha('outputs'),
          sha('newer'),
        ])
        await store.addExpectation({ ...e, update: true })
        const [stored] = await store.expectations(added.record.id)
        expect(stored).toMatchObject({ model: 'churn', modelVersion: '1.0.0', sha256: sha('outputs') })
        expect(stored!.dataset.id).toBe(v.id)
        expect(stored!.tolerances).toEqual(e.tolerances)
        // The same binding seen from the dataset version's side; another version has none.
        expect(await store.expectationsOfVersion(v.id)).toEqual([stored])
        const other = (await store.publishVersion(newVersion('ds', 'other inputs'))).version
        expect(await store.expectationsOfVersion(other.id)).toEqual([])
        // After an update, only the current record of the model version is bound.
        await store.addExpectation({ ...e, sha256: sha('newer outputs'), update: true })
        const bound = await store.expectationsOfVersion(v.id)
        expect(bound.map((b) => b.sha256)).toEqual([sha('newer outputs')])
        await store.addRepresentation({ versionId: v.id, format: 'jsonl', sha256: sha('jsonl'), bytes: 5 })
        expect(await store.getRepresentation(v.id, 'jsonl')).toEqual({ sha256: sha('jsonl'), bytes: 5 })
        expect(await store.getRepresentation(v.id, 'arrow')).toBeUndefined()
        const referenced = await store.referencedBlobs()
        for (const s of ['inputs', 'manifest of inputs', 'outputs', 'jsonl'])
          expect(referenced.has(sha(s))).toBe(true)
      } finally {
        store.close()
      }
    })

    it('replaces model metadata and keeps contract runs in order with the dataset versions they replayed', async () => {
      const store = await open()
      try {
        const a = (await store.publishVersion(newVersion('ds', 'run inputs a'))).version
        const b = (await store.publishVersion(newVersion('other', 'run inputs b'))).version
        const { record } = await store.addModelVersion('scored', '2.0.0', { owner: 'ml' })
        await store.setModelMetadata(record.id, { owner: 'ml', sla: 'p99<=50ms' })
        expect((await store.getModelVersion('scored', '2.0.0'))!.metadata).toEqual({
          owner: 'ml',
          sla: 'p99<=50ms',
        })
        expect(await store.contractRuns(record.id)).toEqual([])
        const run = {
          modelVersionId: record.id,
          datasetVersionIds: [b.id, a.id, a.id],
          endpoint: 'http://127.0.0.1:1/',
          protocol: 'oip',
          passed: false,
          goldgen: '0.0.0',
          stages: [{ stage: 'health', status: 'fail' }],
          figures: null,
          report: { passed: false },
        }
        const first = await store.addContractRun(run)
        const second = await store.addContractRun({ ...run, passed: true, figures: { p99: 3 } })
        expect(second).toBeGreaterThan(first)
        const runs = await store.contractRuns(record.id)
        expect(runs.map((r) => [r.id, r.passed, r.figures])).toEqual([
          [first, false, null],
          [second, true, { p99: 3 }],
        ])
        expect(runs[0]).toMatchObject({
          model: 'scored',
          version: '2.0.0',
          protocol: 'oip',
          datasets: [`${a.dataset}@${a.version}`, `${b.dataset}@${b.version}`],
        })
        expect(runs[0]!.stages).toEqual(run.stages)
        expect(runs[0]!.report).toEqual(run.report)
      } finally {
        store.close()
      }
    })

    it('finds tokens by hash, keeps the audit log in order, and records each private release once', async () => {
      const store = await open()
      try {
        await store.addToken({ name: 'ci', scope: 'write', hash: sha('secret') })
        expect(await store.findToken(sha('secret'))).toEqual({ name: 'ci', scope: 'write' })
        expect(await store.findToken(sha('other'))).toBeUndefined()
        await store.audit({ actor: 'ci', action: 'publish', target: 'ds@1', detail: { n: 1 } })
        await store.audit({ actor: 'ci', action: 'alias', target: 'ds@prod' })
        expect((await store.auditLog()).map((a) => [a.action, a.detail])).toEqual([
          ['publish', { n: 1 }],
          ['alias', null],
        ])
        expect(await store.recordPrivacy(entry('r1', 'people.csv'))).toBe(true)
        expect(await store.recordPrivacy(entry('r1', 'people.csv'))).toBe(false)
        expect(await store.recordPrivacy(entry('r2', 'other.csv'))).toBe(true)
        expect((await store.privacyLedger()).map((e) => e.releaseId)).toEqual(['r1', 'r2'])
        const [one] = await store.privacyLedger(sha('other.csv'))
        expect(one).toMatchObject({ ...entry('r2', 'other.csv') })
        expect(typeof one!.at).toBe('string')
        expect(await store.integrityCheck()).toBe('ok')
      } finally {
        store.close()
      }
    })
  })
}

export interface OpenedBlobs {
  blobs: BlobStore
  /** A fresh folder for scratch files. */
  scratch: string
  /** Replaces what is stored for a digest with other bytes, behind the store's back. */
  corrupt(sha256: string, bytes: Uint8Array): Promise<void>
}

/** Runs the blob-store contract against stores made by `open(dir)` (`dir`: a fresh folder for scratch files). */
export function describeBlobStore(
  name: string,
  open: () => Promise<OpenedBlobs> | OpenedBlobs,
  /** Property-test runs (fewer for drivers on a server). */
  runs = 20,
) {
  describe(`BlobStore conformance: ${name}`, () => {
    it('stores bytes and files under their SHA-256, reads them back verified, lists and deletes them', async () => {
      await fc.assert(
        fc.asyncProperty(fc.uint8Array({ maxLength: 2000 }), fc.string(), async (bytes, text) => {
          const { blobs, scratch } = await open()
          const a = await blobs.putBytes(bytes)
          expect(a).toEqual({ sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length })
          expect(Buffer.from(await blobs.read(a.sha256)).equals(Buffer.from(bytes))).toBe(true)
          const file = join(scratch, 'in.txt')
          writeFileSync(file, text)
          const b = await blobs.putFile(file)
          expect(b.sha256).toBe(sha(text))
          expect(await blobs.putBytes(text)).toEqual(b)
          expect(Buffer.from(await blobs.read(b.sha256)).toString('utf8')).toBe(text)
          expect(typeof (await blobs.verifiedPath(b.sha256))).toBe('string')
          expect((await blobs.has(a.sha256)) && (await blobs.has(b.sha256))).toBe(true)
          expect(await blobs.list()).toEqual([...new Set([a.sha256, b.sha256])].sort())
          await blobs.delete(a.sha256)
          expect(await blobs.has(a.sha256)).toBe(false)
        }),
        { numRuns: runs },
      )
    })

    blobDurability(open)

    it('answers a missing blob with an INTEGRITY error, never data', async () => {
      const { blobs } = await open()
      const err = await blobs.read(sha('never stored')).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(GoldgenError)
      expect((err as GoldgenError).code).toBe('INTEGRITY')
    })
  })
}
