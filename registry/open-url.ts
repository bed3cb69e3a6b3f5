/**
 * Where the registry lives, by URL, the same for the CLI and the server: `--registry`
 * (or GOLDGEN_REGISTRY) is a folder (SQLite and, by default, blobs in its `objects/`) or
 * `postgres://user@host:port/db`; `--blobs` (or GOLDGEN_BLOBS) is `s3://bucket/prefix` (the
 * endpoint from AWS_ENDPOINT_URL, credentials from the usual AWS variables) or a folder. The
 * PostgreSQL and S3 drivers load only when their URL is given. Messages never show a password.
 */
import { createHash } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { GoldgenError } from '../src/core/errors.ts'
import { fsBlobStore } from './fs/blobs.ts'
import { redactUrl } from './redact.ts'
import { sqliteMetadataStore } from './sqlite/index.ts'
import type { BlobStore, MetadataStore } from './stores.ts'

export const DEFAULT_REGISTRY_DIR = '.goldgen'

export const isPostgresUrl = (s: string) => /^postgres(ql)?:\/\//i.test(s)
export const isS3Url = (s: string) => /^s3:\/\//i.test(s)
const isOtherUrl = (s: string) => /^[a-z][a-z0-9+.-]+:\/\//i.test(s)

export interface StoreLocations {
  /** A folder or postgres:// URL (default: $GOLDGEN_REGISTRY, else `.goldgen`). */
  registry?: string | undefined
  /** A folder or s3:// URL (default: $GOLDGEN_BLOBS, else the registry folder's `objects/`). */
  blobs?: string | undefined
  /** Drivers given directly (tests, embedding) take the place of the URLs. */
  metadata?: MetadataStore | undefined
  blobStore?: BlobStore | undefined
}

export interface OpenedStores {
  /** A local folder: the registry itself, or for a remote one its staging area and verified cache. */
  dir: string
  /** Where the registry is, for messages (a URL without its password, or the folder). */
  location: string
  metadata: MetadataStore
  blobs: BlobStore
  close(): void
}

/** The local working folder of a remote registry (staging files, verified blob copies). */
function workDir(registry: string, blobs: string): string {
  const base = process.env.GOLDGEN_CACHE ?? join(tmpdir(), 'goldgen-cache')
  return join(
    base,
    createHash('sha256')
      .update(`${redactUrl(registry)}\n${blobs}`)
      .digest('hex')
      .slice(0, 16),
  )
}

/** Opens the blob store at `at` (s3:// URL or folder), its verified copies under `dir`. */
async function openBlobs(at: string, dir: string): Promise<BlobStore & { close?(): void }> {
  if (isS3Url(at)) {
    const { s3BlobStore } = await import('./s3/blobs.ts')
    return s3BlobStore(at, { cacheDir: join(dir, 'objects') })
  }
  if (isOtherUrl(at))
    throw new GoldgenError(
      'USAGE',
      `unsupported blob store ${JSON.stringify(at)}: expected s3://bucket/prefix or a folder`,
    )
  mkdirSync(resolve(at), { recursive: true })
  return fsBlobStore(resolve(at))
}

/** Opens the metadata and blob stores that `locations` name (creating a local registry if needed). */
export async function openStores(locations: StoreLocations = {}): Promise<OpenedStores> {
  const registry = locations.registry ?? process.env.GOLDGEN_REGISTRY ?? DEFAULT_REGISTRY_DIR
  // '' means the registry's own blob folder, whatever GOLDGEN_BLOBS says.
  const blobsAt =
    locations.blobs === '' ? undefined : (locations.blobs ?? (process.env.GOLDGEN_BLOBS || undefined))
  if (isPostgresUrl(registry)) {
    if (blobsAt === undefined && locations.blobStore === undefined)
      throw new GoldgenError(
        'USAGE',
        `the PostgreSQL registry ${redactUrl(registry)} needs a blob store: give --blobs s3://bucket/prefix (or GOLDGEN_BLOBS), or a folder`,
      )
    const dir = workDir(registry, blobsAt ?? '')
    mkdirSync(join(dir, 'objects', 'tmp'), { recursive: true })
    const blobs = locations.blobStore ?? (await openBlobs(blobsAt!, dir))
    let metadata: MetadataStore
    try {
      const { postgresMetadataStore } = await import('./postgres/index.ts')
      metadata = locations.metadata ?? (await postgresMetadataStore(registry))
    } catch (e) {
      ;(blobs as { close?(): void }).close?.()
      throw e
    }
    return {
      dir,
      location: redactUrl(registry),
      metadata,
      blobs,
      close() {
        metadata.close()
        ;(blobs as { close?(): void }).close?.()
      },
    }
  }
  if (isOtherUrl(registry))
    throw new GoldgenError(
      'USAGE',
      `unsupported registry ${JSON.stringify(redactUrl(registry))}: expected a folder or postgres://user@host:port/db`,
    )
  const dir = resolve(registry)
  mkdirSync(join(dir, 'objects', 'tmp'), { recursive: true })
  const blobs =
    locations.blobStore ??
    (blobsAt === undefined ? fsBlobStore(join(dir, 'objects')) : await openBlobs(blobsAt, dir))
  const metadata = locations.metadata ?? (await sqliteMetadataStore(join(dir, 'registry.db')))
  return {
    dir,
    location: dir,
    metadata,
    blobs,
    close() {
      metadata.close()
      ;(blobs as { close?(): void }).close?.()
    },
  }
}
