/** The SQLite store's side of content: stored representations, the blobs rows point at, forgetting one. */
import { eq } from 'drizzle-orm'
import type { MetadataStore } from '../stores.ts'
import type { SqliteContext } from './context.ts'
import * as t from './schema.ts'

type BlobOps = Pick<
  MetadataStore,
  'getRepresentation' | 'addRepresentation' | 'referencedBlobs' | 'forgetBlob'
>

export function blobOps({ sqlite, db, write }: SqliteContext): BlobOps {
  const representationOf = sqlite.prepare<[number, string], { sha256: string; bytes: number }>(
    'select sha256, bytes from representations where version_id = ? and format = ?',
  )
  return {
    async getRepresentation(versionId, format) {
      return representationOf.get(versionId, format)
    },
    async addRepresentation(r) {
      write(() => {
        db.insert(t.blobs).values({ sha256: r.sha256, bytes: r.bytes }).onConflictDoNothing().run()
        db.insert(t.representations).values(r).onConflictDoNothing().run()
      })
    },
    async referencedBlobs() {
      const out = new Set<string>()
      for (const r of db.select({ a: t.representations.sha256 }).from(t.representations).all()) out.add(r.a)
      for (const r of db
        .select({ a: t.datasetVersions.sha256, b: t.datasetVersions.manifestSha256 })
        .from(t.datasetVersions)
        .all()) {
        out.add(r.a)
        out.add(r.b)
      }
      for (const r of db.select({ a: t.expectations.sha256 }).from(t.expectations).all()) out.add(r.a)
      return out
    },
    async forgetBlob(sha256) {
      db.delete(t.blobs).where(eq(t.blobs.sha256, sha256)).run()
    },
  }
}
