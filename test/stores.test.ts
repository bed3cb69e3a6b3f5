/**
 * The storage conformance suite (test/conformance/stores.ts) run against goldgen's own drivers:
 * SQLite and files here; PostgreSQL and S3 in test/stores-remote.test.ts.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fsBlobStore } from '../registry/fs/blobs.ts'
import { sqliteMetadataStore } from '../registry/sqlite/index.ts'
import { describeBlobStore, describeMetadataStore } from './conformance/stores.ts'
import { tempDir } from './helpers.ts'

const root = tempDir()
const fresh = () => mkdtempSync(join(root, 'store-'))

describeMetadataStore(
  'sqlite',
  () => sqliteMetadataStore(join(fresh(), 'registry.db')),
  async () => {
    const file = join(fresh(), 'registry.db')
    return [await sqliteMetadataStore(file), await sqliteMetadataStore(file)]
  },
)

describeBlobStore('fs', () => {
  const dir = fresh()
  mkdirSync(join(dir, 'scratch'))
  const objects = join(dir, 'objects')
  return {
    blobs: fsBlobStore(objects),
    scratch: join(dir, 'scratch'),
    async corrupt(sha256, bytes) {
      writeFileSync(join(objects, sha256.slice(0, 2), sha256.slice(2)), bytes)
    },
  }
})
