/** The storage conformance suite (test/conformance/stores.ts) run against goldgen's own drivers: SQLite and files. */
import { mkdirSync, mkdtempSync } from 'node:fs'
import { join } from 'node:path'
import { fsBlobStore } from '../registry/fs/blobs.ts'
import { sqliteMetadataStore } from '../registry/sqlite/index.ts'
import { describeBlobStore, describeMetadataStore } from './conformance/stores.ts'
import { tempDir } from './helpers.ts'

const root = tempDir()
const fresh = () => mkdtempSync(join(root, 'store-'))

describeMetadataStore('sqlite', () => sqliteMetadataStore(join(fresh(), 'registry.db')))

describeBlobStore('fs', () => {
  const dir = fresh()
  mkdirSync(join(dir, 'scratch'))
  return { blobs: fsBlobStore(join(dir, 'objects')), scratch: join(dir, 'scratch') }
})
