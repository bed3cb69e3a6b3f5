/**
 * The registry's metadata tables in the SQLite dialect, written by
 * `npm run db:generate` from the one schema module, registry/schema/tables.ts: edit that file,
 * not this one (test/schema-sync.test.ts fails when this file is not what it gives).
 */
import { sql } from 'drizzle-orm'
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'

const createdAt = (name = 'created_at') =>
  text(name).notNull().default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`)

export const blobs = sqliteTable('blobs', {
  sha256: text('sha256').primaryKey(),
  bytes: integer('bytes').notNull(),
  createdAt: createdAt(),
})

export const datasets = sqliteTable('datasets', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull().unique(),
  createdAt: createdAt(),
})

export const datasetVersions = sqliteTable(
  'dataset_versions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    datasetId: integer('dataset_id')
      .notNull()
      .references(() => datasets.id),
    version: integer('version').notNull(),
    /** The data file's SHA-256 (a blob). */
    sha256: text('sha256')
      .notNull()
      .references(() => blobs.sha256),
    format: text('format').notNull(),
    rows: integer('rows').notNull(),
    /** How to make it again (canonical schema, seed, rows, versions); null for imported files. */
    recipe: text('recipe', { mode: 'json' }),
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

export const aliases = sqliteTable(
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
export const aliasHistory = sqliteTable(
  'alias_history',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
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

export const models = sqliteTable('models', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull().unique(),
  createdAt: createdAt(),
})

export const modelVersions = sqliteTable(
  'model_versions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    modelId: integer('model_id')
      .notNull()
      .references(() => models.id),
    version: text('version').notNull(),
    metadata: text('metadata', { mode: 'json' }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('model_versions_version').on(t.modelId, t.version)],
)

export const expectations = sqliteTable(
  'expectations',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
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
    rows: integer('rows').notNull(),
    /** Per output column: { kind: 'exact' } | { kind: 'atol', value } | { kind: 'rtol', value }. */
    tolerances: text('tolerances', { mode: 'json' }).notNull(),
    createdAt: createdAt(),
  },
  // Not unique: an update (`--goldgen-update`, `GOLDGEN_UPDATE=1`) adds a record and keeps the old
  // ones; the current expectation of a pair is its newest record.
  (t) => [index('expectations_pair').on(t.modelVersionId, t.datasetVersionId)],
)

/** Other formats of a version, made once on first request and kept as blobs (their digests are the ETags). */
export const representations = sqliteTable(
  'representations',
  {
    versionId: integer('version_id')
      .notNull()
      .references(() => datasetVersions.id),
    format: text('format').notNull(),
    sha256: text('sha256')
      .notNull()
      .references(() => blobs.sha256),
    bytes: integer('bytes').notNull(),
  },
  (t) => [primaryKey({ columns: [t.versionId, t.format] })],
)

/** API tokens: only their SHA-256 is stored; the token itself is shown once, at creation. */
export const tokens = sqliteTable('tokens', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull(),
  scope: text('scope', { enum: ['read', 'write', 'admin'] }).notNull(),
  hash: text('hash').notNull().unique(),
  createdAt: createdAt(),
})

/** Append-only record of every write made through the API. */
export const auditLog = sqliteTable('audit_log', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  at: createdAt('at'),
  actor: text('actor').notNull(),
  action: text('action').notNull(),
  target: text('target').notNull(),
  detail: text('detail', { mode: 'json' }),
})

/**
 * The privacy ledger: every private release (goldgen fit, goldgen privatize) with the source it read
 * (by content digest), what it spent and what it produced. Append-only; one row per release id, so
 * recording the same release again (e.g. on publish) does not count twice.
 */
export const privacyLedger = sqliteTable(
  'privacy_ledger',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    releaseId: text('release_id').notNull().unique(),
    at: createdAt('at'),
    sourceSha256: text('source_sha256').notNull(),
    sourceName: text('source_name').notNull(),
    mechanism: text('mechanism').notNull(),
    rho: real('rho'),
    epsilon: real('epsilon').notNull(),
    delta: real('delta').notNull(),
    guarantee: integer('guarantee', { mode: 'boolean' }).notNull(),
    produced: text('produced').notNull(),
    detail: text('detail', { mode: 'json' }),
  },
  (t) => [index('privacy_ledger_source').on(t.sourceSha256)],
)

/**
 * Contract runs (`goldgen contract --record`): one row per run against a served model version, with
 * its stage results, load figures and the goldgen that ran it; append-only.
 */
export const contractRuns = sqliteTable(
  'contract_runs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    modelVersionId: integer('model_version_id')
      .notNull()
      .references(() => modelVersions.id),
    at: createdAt('at'),
    endpoint: text('endpoint').notNull(),
    protocol: text('protocol').notNull(),
    passed: integer('passed', { mode: 'boolean' }).notNull(),
    goldgenVersion: text('goldgen_version').notNull(),
    /** Per stage (and fixture): { stage, fixture?, status, reason, seconds }. */
    stages: text('stages', { mode: 'json' }).notNull(),
    /** The load stage's figures (p50 … rps), null when it did not run. */
    figures: text('figures', { mode: 'json' }),
    /** The whole report, as `goldgen contract --json` prints it. */
    report: text('report', { mode: 'json' }).notNull(),
  },
  (t) => [index('contract_runs_model_version').on(t.modelVersionId)],
)

/** The dataset versions a contract run replayed. */
export const contractRunDatasets = sqliteTable(
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
