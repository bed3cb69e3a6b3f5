/**
 * The registry: immutable, numbered, content-addressed dataset versions with aliases, model
 * versions with expected outputs, and the checks that compare a model's outputs with them.
 * `openRegistry` composes the domain modules (datasets.ts, publish.ts, fetch.ts, diff.ts,
 * models.ts, check.ts, metrics.ts, integrity.ts, tokens.ts, ledger.ts, runs.ts, tables.ts) over
 * the two store interfaces (stores.ts); the drivers live in folders of their own (sqlite/, fs/,
 * postgres/, s3/), picked by URL in open-url.ts, so a driver replaces another without touching
 * the domain modules.
 */
import { join } from 'node:path'
import { checkMethods } from './check.ts'
import type { RegistryContext } from './context.ts'
import { datasetMethods } from './datasets.ts'
import { diffMethods } from './diff.ts'
import { fetchMethods } from './fetch.ts'
import { integrityMethods } from './integrity.ts'
import { ledgerMethods } from './ledger.ts'
import { metricMethods } from './metrics.ts'
import { modelMethods } from './models.ts'
import { openStores } from './open-url.ts'
import { publishMethods } from './publish.ts'
import { runMethods } from './runs.ts'
import type { BlobStore, MetadataStore } from './stores.ts'
import { tableMethods } from './tables.ts'
import { tokenMethods } from './tokens.ts'

export type { CheckReport } from './check.ts'
export type { DiffReport } from './diff.ts'
export type { VerifyResult } from './integrity.ts'
export { ledgerEntryOf } from './ledger.ts'
export type { MetricBinding, MetricReport } from './metrics.ts'
export { DEFAULT_REGISTRY_DIR } from './open-url.ts'
export type { PublishResult, Recipe } from './publish.ts'
export type { ContractRunInput } from './runs.ts'

export interface RegistryOptions {
  /** The registry folder or postgres:// URL (default: $GOLDGEN_REGISTRY, else `.goldgen` in the working directory). */
  dir?: string | undefined
  /** The blob store: s3://bucket/prefix or a folder (default: $GOLDGEN_BLOBS, else the registry folder's objects/). */
  blobsAt?: string | undefined
  /** Recorded as the author of versions and alias moves. */
  user?: string | undefined
  /** Drivers, for tests and other backends; default SQLite and files under `dir`. */
  metadata?: MetadataStore
  blobs?: BlobStore
}

export type Registry = Awaited<ReturnType<typeof openRegistry>>

/** Opens (creating if needed) the registry in `dir` (a folder or postgres:// URL; see open-url.ts). */
export async function openRegistry(options: RegistryOptions = {}) {
  const opened = await openStores({
    registry: options.dir,
    blobs: options.blobsAt,
    metadata: options.metadata,
    blobStore: options.blobs,
  })
  const { dir, metadata: store, blobs } = opened
  const staging = join(dir, 'objects', 'tmp')
  const ctx: RegistryContext = {
    dir,
    store,
    blobs,
    user: options.user ?? process.env.GOLDGEN_USER ?? process.env.USER ?? null,
    stagingPath: (label: string) =>
      join(staging, `${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}-${label}`),
  }
  return {
    dir,
    /** Where the registry is (a folder, or a URL without its password). */
    location: opened.location,
    blobStore: blobs,
    ...publishMethods(ctx),
    ...datasetMethods(ctx),
    ...fetchMethods(ctx),
    ...modelMethods(ctx),
    ...checkMethods(ctx),
    ...metricMethods(ctx),
    ...integrityMethods(ctx),
    ...diffMethods(ctx),
    ...tokenMethods(ctx),
    ...ledgerMethods(ctx),
    ...runMethods(ctx),
    ...tableMethods(ctx),
    close: () => store.close(),
  }
}
