/**
 * The registry's metadata tables in the PostgreSQL dialect, written by
 * `npm run db:generate` from the one schema module, registry/schema/tables.ts: edit that file,
 * not this one (test/schema-sync.test.ts fails when this file is not what it gives).
 */
import { sql } from 'drizzle-orm'
import {
  bigint,
  boolean,
  doublePrecision,
  index,
  integer,
  json,
  pgTable,
  primaryKey,
  serial,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core'

const createdAt = (name = 'created_at') =>
  text(name)
    .notNull()
    .default(sql`to_char(clock_timestamp() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`)

export const blobs = pgTable('blobs', {
  sha256: text('sha256').primaryKey(),
  bytes: bigint('bytes', { mode: 'number' }).notNull(),
  createdAt: createdAt(),
})

export const datasets = pgTable('datasets', {
  id: serial('id').primaryKey(),
  name: text('name').notNull().unique(),
  createdAt: createdAt(),
})

export const datasetVersions = pgTable(
  'dataset_versions',
  {
    id: serial('id').primaryKey(),
    datasetId: integer('dataset_id')
      .notNull()
      .references(() => datasets.id),
    version: integer('version').notNull(),
    /** The data file's SHA-256 (a blob). */
    sha256: text('sha256')
      .notNull()
      .references(() => blobs.sha256),
    format: text('format').notNull(),
    rows: bigint('rows', { mode: 'number' }).notNull(),
    /** How to make it again (canonical schema, seed, rows, versions); null for imported files. */
    recipe: json('recipe'),
    /** The manifest's SHA-256 (a blob). */
    manifestSha256: text('manifest_sha256')
      .notNull()
      .references(() => blobs.sha256),
    createdAt: createdAt(),
    createdBy: text('created_by'),
  },
  (t) => [
    uniqueIndex('dataset_versions_number').on(t.datasetId, t.version),
    uniqueIndex('dataset_versions_content').on(t.datasetId, t.sha256),
  ],
)

export const aliases = pgTable(
  'aliases',
  {
    datasetId: integer('dataset_id')
      .notNull()
      .references(() => datasets.id),
    name: text('name').notNull(),
    versionId: integer('version_id')
      .notNull()
      .references(() => datasetVersions.id),
  },
  (t) => [primaryKey({ columns: [t.datasetId, t.name] })],
)

/** Append-only: every alias move. */
export const aliasHistory = pgTable(
  'alias_history',
  {
    id: serial('id').primaryKey(),
    datasetId: integer('dataset_id')
      .notNull()
      .references(() => datasets.id),
    name: text('name').notNull(),
    fromVersionId: integer('from_version_id').references(() => datasetVersions.id),
    toVersionId: integer('to_version_id')
      .notNull()
      .references(() => datasetVersions.id),
    movedAt: createdAt('moved_at'),
    movedBy: text('moved_by'),
  },
  (t) => [index('alias_history_dataset').on(t.datasetId, t.name)],
)

export const models = pgTable('models', {
  id: serial('id').primaryKey(),
  name: text('name').notNull().unique(),
  createdAt: createdAt(),
})

export const modelVersions = pgTable(
  'model_versions',
  {
    id: serial('id').primaryKey(),
    modelId: integer('model_id')
      .notNull()
      .references(() => models.id),
    version: text('version').notNull(),
    metadata: json('metadata').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('model_versions_version').on(t.modelId, t.version)],
)

export const expectations = pgTable(
  'expectations',
  {
    id: serial('id').primaryKey(),
    modelVersionId: integer('model_version_id')
      .notNull()
      .references(() => modelVersions.id),
    datasetVersionId: integer('dataset_version_id')
      .notNull()
      .references(() => datasetVersions.id),
    /** The expected outputs file (a blob), one row per input row. */
    sha256: text('sha256')
      .notNull()
      .references(() => blobs.sha256),
    format: text('format').notNull(),
    rows: bigint('rows', { mode: 'number' }).notNull(),
    /** Per output column: { kind: 'exact' } | { kind: 'atol', value } | { kind: 'rtol', value }. */
    tolerances: json('tolerances').notNull(),
    createdAt: createdAt(),
  },
  // Not unique: an update (`--goldgen-update`, `GOLDGEN_UPDATE=1`) adds a record and keeps the old
  // ones; the current expectation of a pair is its newest record.
  (t) => [index('expectations_pair').on(t.modelVersionId, t.datasetVersionId)],
)

/** Other formats of a version, made once on first request and kept as blobs (their digests are the ETags). */
export const representations = pgTable(
  'representations',
  {
    versionId: integer('version_id')
      .notNull()
      .references(() => datasetVersions.id),
    format: text('format').notNull(),
    sha256: text('sha256')
      .notNull()
      .references(() => blobs.sha256),
    bytes: bigint('bytes', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.versionId, t.format] })],
)

/** API tokens: only their SHA-256 is stored; the token itself is shown once, at creation. */
export const tokens = pgTable('tokens', {
  id: serial('id').primaryKey(),
  name: text('name').notNull(),
  scope: text('scope', { enum: ['read', 'write', 'admin'] }).notNull(),
  hash: text('hash').notNull().unique(),
  createdAt: createdAt(),
})

/** Append-only record of every write made through the API. */
export const auditLog = pgTable('audit_log', {
  id: serial('id').primaryKey(),
  at: createdAt('at'),
  actor: text('actor').notNull(),
  action: text('action').notNull(),
  target: text('target').notNull(),
  detail: json('detail'),
})

/**
 * The privacy ledger: every private release (goldgen fit, goldgen privatize) with the source it read
 * (by content digest), what it spent and what it produced. Append-only; one row per release id, so
 * recording the same release again (e.g. on publish) does not count twice.
 */
export const privacyLedger = pgTable(
  'privacy_ledger',
  {
    id: serial('id').primaryKey(),
    releaseId: text('release_id').notNull().unique(),
    at: createdAt('at'),
    sourceSha256: text('source_sha256').notNull(),
    sourceName: text('source_name').notNull(),
    mechanism: text('mechanism').notNull(),
    rho: doublePrecision('rho'),
    epsilon: doublePrecision('epsilon').notNull(),
    delta: doublePrecision('delta').notNull(),
    guarantee: boolean('guarantee').notNull(),
    produced: text('produced').notNull(),
    detail: json('detail'),
  },
  (t) => [index('privacy_ledger_source').on(t.sourceSha256)],
)

/**
 * Contract runs (`goldgen contract --record`): one row per run against a served model version, with
 * its stage results, load figures and the goldgen that ran it; append-only.
 */
export const contractRuns = pgTable(
  'contract_runs',
  {
    id: serial('id').primaryKey(),
    modelVersionId: integer('model_version_id')
      .notNull()
      .references(() => modelVersions.id),
    at: createdAt('at'),
    endpoint: text('endpoint').notNull(),
    protocol: text('protocol').notNull(),
    passed: boolean('passed').notNull(),
    goldgenVersion: text('goldgen_version').notNull(),
    /** Per stage (and fixture): { stage, fixture?, status, reason, seconds }. */
    stages: json('stages').notNull(),
    /** The load stage's figures (p50 … rps), null when it did not run. */
    figures: json('figures'),
    /** The whole report, as `goldgen contract --json` prints it. */
    report: json('report').notNull(),
  },
  (t) => [index('contract_runs_model_version').on(t.modelVersionId)],
)

/** The dataset versions a contract run replayed. */
export const contractRunDatasets = pgTable(
  'contract_run_datasets',
  {
    runId: integer('run_id')
      .notNull()
      .references(() => contractRuns.id),
    datasetVersionId: integer('dataset_version_id')
      .notNull()
      .references(() => datasetVersions.id),
  },
  (t) => [primaryKey({ columns: [t.runId, t.datasetVersionId] })],
)
