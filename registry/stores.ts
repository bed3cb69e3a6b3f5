/**
 * The registry's storage interfaces, apart from any driver (as drizzle keeps a dialect apart
 * from its drivers): `MetadataStore` (atomic, domain-level operations on the metadata; each
 * driver runs each one in a transaction of its own) and `BlobStore` (content addressed by
 * SHA-256, verified on read), with the records they pass. Drivers live in folders of their
 * own: `sqlite/` and `fs/`, `postgres/` and `s3/`.
 */
import type { Tolerance } from '../src/compare/rows.ts'

export interface VersionRecord {
  id: number
  dataset: string
  version: number
  sha256: string
  format: string
  rows: number
  recipe: unknown
  manifestSha256: string
  createdAt: string
  createdBy: string | null
}

export interface NewVersion {
  dataset: string
  sha256: string
  bytes: number
  format: string
  rows: number
  recipe: unknown
  manifestSha256: string
  manifestBytes: number
  createdBy?: string | undefined
  /** When it was made (default: now); `registry copy` keeps the source's. */
  createdAt?: string | undefined
}

export interface AliasMove {
  name: string
  from: number | null
  to: number
  movedAt: string
  movedBy: string | null
}

export interface ModelVersionRecord {
  id: number
  model: string
  version: string
  metadata: Record<string, string>
  createdAt: string
}

export type TokenScope = 'read' | 'write' | 'admin'

export interface ExpectationRecord {
  id: number
  model: string
  modelVersion: string
  dataset: VersionRecord
  sha256: string
  format: string
  rows: number
  tolerances: Record<string, Tolerance>
  createdAt: string
}

/** A stored contract run (`goldgen contract --record`). */
export interface ContractRunRecord {
  id: number
  model: string
  version: string
  at: string
  endpoint: string
  protocol: string
  passed: boolean
  goldgen: string
  /** The dataset versions replayed, `dataset@version`. */
  datasets: string[]
  stages: unknown
  figures: unknown
  report: unknown
}

export interface NewContractRun {
  modelVersionId: number
  datasetVersionIds: number[]
  endpoint: string
  protocol: string
  passed: boolean
  goldgen: string
  stages: unknown
  figures: unknown
  report: unknown
}

/** One private release in the privacy ledger. */
export interface LedgerEntry {
  releaseId: string
  sourceSha256: string
  sourceName: string
  mechanism: string
  rho: number | null
  epsilon: number
  delta: number
  /** False when made with the insecure seeded noise switch (no DP guarantee). */
  guarantee: boolean
  produced: string
  detail?: unknown
}

export interface MetadataStore {
  /** Creates the version (numbered max + 1), or returns the existing one with the same content. */
  publishVersion(v: NewVersion): Promise<{ version: VersionRecord; created: boolean }>
  listDatasets(): Promise<{ name: string; versions: number; latest: number | null }[]>
  listVersions(dataset: string): Promise<VersionRecord[]>
  getVersion(dataset: string, version: number): Promise<VersionRecord | undefined>
  latestVersion(dataset: string): Promise<VersionRecord | undefined>
  /** Versions whose content digest starts with `prefix`. */
  versionsBySha(dataset: string, prefix: string): Promise<VersionRecord[]>
  datasetExists(dataset: string): Promise<boolean>
  getAlias(dataset: string, alias: string): Promise<VersionRecord | undefined>
  /** Points an alias at a version (creating it), appending the move to its history. */
  moveAlias(dataset: string, alias: string, versionId: number, movedBy?: string): Promise<AliasMove>
  aliasHistory(dataset: string): Promise<AliasMove[]>
  aliases(dataset: string): Promise<Record<string, number>>
  addModelVersion(
    model: string,
    version: string,
    metadata: Record<string, string>,
  ): Promise<{ record: ModelVersionRecord; created: boolean }>
  getModelVersion(model: string, version: string): Promise<ModelVersionRecord | undefined>
  /** Replaces a model version's metadata (e.g. to set its SLA). */
  setModelMetadata(modelVersionId: number, metadata: Record<string, string>): Promise<void>
  /** Stores a contract run against its model version and dataset versions; returns its id. */
  addContractRun(run: NewContractRun): Promise<number>
  /** A model version's contract runs, oldest first. */
  contractRuns(modelVersionId: number): Promise<ContractRunRecord[]>
  /** Every model version, oldest first. */
  listModelVersions(): Promise<ModelVersionRecord[]>
  /**
   * Binds expected outputs to (model version, dataset version); the same content as the current
   * record again is a no-op; other content is a conflict, unless `update` is set: then it is a
   * new record, which becomes the current one (the old records are kept).
   */
  addExpectation(e: {
    modelVersionId: number
    datasetVersionId: number
    sha256: string
    bytes: number
    format: string
    rows: number
    tolerances: Record<string, Tolerance>
    update?: boolean | undefined
  }): Promise<{ created: boolean; id: number; replaced: number | null }>
  /** The current expectation (the newest record) of each dataset version bound to a model version. */
  expectations(modelVersionId: number): Promise<ExpectationRecord[]>
  /** Every expectation record of a model version, superseded ones included, oldest first. */
  expectationHistory(modelVersionId: number): Promise<ExpectationRecord[]>
  /** The current expectation of each model version bound to one dataset version, oldest first. */
  expectationsOfVersion(datasetVersionId: number): Promise<ExpectationRecord[]>
  /** A version's representation in another format, if made before. */
  getRepresentation(versionId: number, format: string): Promise<{ sha256: string; bytes: number } | undefined>
  addRepresentation(r: { versionId: number; format: string; sha256: string; bytes: number }): Promise<void>
  /** Every blob digest that a version, representation or expectation points at. */
  referencedBlobs(): Promise<Set<string>>
  forgetBlob(sha256: string): Promise<void>
  addToken(t: { name: string; scope: TokenScope; hash: string }): Promise<void>
  findToken(hash: string): Promise<{ name: string; scope: TokenScope } | undefined>
  audit(entry: { actor: string; action: string; target: string; detail?: unknown }): Promise<void>
  auditLog(): Promise<{ at: string; actor: string; action: string; target: string; detail: unknown }[]>
  /** Records a private release; false when its release id is already in the ledger. */
  recordPrivacy(entry: LedgerEntry): Promise<boolean>
  /** Ledger entries, oldest first; of one source (by SHA-256) when given. */
  privacyLedger(sourceSha256?: string): Promise<(LedgerEntry & { at: string })[]>
  /** The database's own integrity check ("ok" when it is sound; SQLite: PRAGMA integrity_check). */
  integrityCheck(): Promise<string>
  close(): void
}

export interface BlobStore {
  /** Stores the bytes of a file (which it then removes) and returns its digest. Idempotent. */
  putFile(path: string): Promise<{ sha256: string; bytes: number }>
  putBytes(data: Uint8Array | string): Promise<{ sha256: string; bytes: number }>
  /** The whole blob, after checking it against its digest. */
  read(sha256: string): Promise<Uint8Array>
  /** The path of a blob whose content was just checked (for streaming it out). */
  verifiedPath(sha256: string): Promise<string>
  has(sha256: string): Promise<boolean>
  list(): Promise<string[]>
  delete(sha256: string): Promise<void>
  /** Optional: removes what writers that died mid-write left behind; returns what it removed (or would). */
  sweep?(dryRun: boolean): Promise<string[]>
}
