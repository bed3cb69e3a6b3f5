/**
 * The registry's metadata tables: the one schema module both dialects come from. Content
 * lives in the blob store, addressed by SHA-256; rows here only point at it.
 *
 * `npm run db:generate` writes `registry/sqlite/schema.ts` and `registry/postgres/schema.ts`
 * from this description (`emit.ts`), then drizzle-kit writes each dialect's migrations from
 * those files; `test/schema-sync.test.ts` fails when a written file or a migration is out of
 * date. Edit this file, never the two written ones.
 */
import {
  boolean,
  count,
  createdAt,
  float,
  id,
  index,
  integer,
  json,
  primaryKey,
  type TableSpec,
  table,
  text,
  uniqueIndex,
} from './describe.ts'

/** Tables in the order they are written out (a table comes after those it references). */
export const tables: Readonly<Record<string, TableSpec>> = {
  blobs: table('blobs', {
    sha256: text('sha256').primaryKey(),
    bytes: count('bytes').notNull(),
    createdAt: createdAt(),
  }),

  datasets: table('datasets', {
    id: id(),
    name: text('name').notNull().unique(),
    createdAt: createdAt(),
  }),

  datasetVersions: table(
    'dataset_versions',
    {
      id: id(),
      datasetId: integer('dataset_id').notNull().references('datasets.id'),
      version: integer('version').notNull(),
      sha256: text('sha256').notNull().references('blobs.sha256').doc("The data file's SHA-256 (a blob)."),
      format: text('format').notNull(),
      rows: count('rows').notNull(),
      recipe: json('recipe').doc(
        'How to make it again (canonical schema, seed, rows, versions); null for imported files.',
      ),
      manifestSha256: text('manifest_sha256')
        .notNull()
        .references('blobs.sha256')
        .doc("The manifest's SHA-256 (a blob)."),
      createdAt: createdAt(),
      createdBy: text('created_by'),
    },
    {
      extras: [
        uniqueIndex('dataset_versions_number', 'datasetId', 'version'),
        uniqueIndex('dataset_versions_content', 'datasetId', 'sha256'),
      ],
    },
  ),

  aliases: table(
    'aliases',
    {
      datasetId: integer('dataset_id').notNull().references('datasets.id'),
      name: text('name').notNull(),
      versionId: integer('version_id').notNull().references('datasetVersions.id'),
    },
    { extras: [primaryKey('datasetId', 'name')] },
  ),

  aliasHistory: table(
    'alias_history',
    {
      id: id(),
      datasetId: integer('dataset_id').notNull().references('datasets.id'),
      name: text('name').notNull(),
      fromVersionId: integer('from_version_id').references('datasetVersions.id'),
      toVersionId: integer('to_version_id').notNull().references('datasetVersions.id'),
      movedAt: createdAt('moved_at'),
      movedBy: text('moved_by'),
    },
    { doc: 'Append-only: every alias move.', extras: [index('alias_history_dataset', 'datasetId', 'name')] },
  ),

  models: table('models', {
    id: id(),
    name: text('name').notNull().unique(),
    createdAt: createdAt(),
  }),

  modelVersions: table(
    'model_versions',
    {
      id: id(),
      modelId: integer('model_id').notNull().references('models.id'),
      version: text('version').notNull(),
      metadata: json('metadata').notNull(),
      createdAt: createdAt(),
    },
    { extras: [uniqueIndex('model_versions_version', 'modelId', 'version')] },
  ),

  expectations: table(
    'expectations',
    {
      id: id(),
      modelVersionId: integer('model_version_id').notNull().references('modelVersions.id'),
      datasetVersionId: integer('dataset_version_id').notNull().references('datasetVersions.id'),
      sha256: text('sha256')
        .notNull()
        .references('blobs.sha256')
        .doc('The expected outputs file (a blob), one row per input row.'),
      format: text('format').notNull(),
      rows: count('rows').notNull(),
      tolerances: json('tolerances')
        .notNull()
        .doc("Per output column: { kind: 'exact' } | { kind: 'atol', value } | { kind: 'rtol', value }."),
      createdAt: createdAt(),
    },
    {
      extras: [index('expectations_pair', 'modelVersionId', 'datasetVersionId')],
      extrasNote:
        'Not unique: an update (`--goldgen-update`, `GOLDGEN_UPDATE=1`) adds a record and keeps the old ones; the current expectation of a pair is its newest record.',
    },
  ),

  representations: table(
    'representations',
    {
      versionId: integer('version_id').notNull().references('datasetVersions.id'),
      format: text('format').notNull(),
      sha256: text('sha256').notNull().references('blobs.sha256'),
      bytes: count('bytes').notNull(),
    },
    {
      doc: 'Other formats of a version, made once on first request and kept as blobs (their digests are the ETags).',
      extras: [primaryKey('versionId', 'format')],
    },
  ),

  tokens: table(
    'tokens',
    {
      id: id(),
      name: text('name').notNull(),
      scope: text('scope', ['read', 'write', 'admin']).notNull(),
      hash: text('hash').notNull().unique(),
      createdAt: createdAt(),
    },
    { doc: 'API tokens: only their SHA-256 is stored; the token itself is shown once, at creation.' },
  ),

  auditLog: table(
    'audit_log',
    {
      id: id(),
      at: createdAt('at'),
      actor: text('actor').notNull(),
      action: text('action').notNull(),
      target: text('target').notNull(),
      detail: json('detail'),
    },
    { doc: 'Append-only record of every write made through the API.' },
  ),

  privacyLedger: table(
    'privacy_ledger',
    {
      id: id(),
      releaseId: text('release_id').notNull().unique(),
      at: createdAt('at'),
      sourceSha256: text('source_sha256').notNull(),
      sourceName: text('source_name').notNull(),
      mechanism: text('mechanism').notNull(),
      rho: float('rho'),
      epsilon: float('epsilon').notNull(),
      delta: float('delta').notNull(),
      guarantee: boolean('guarantee').notNull(),
      produced: text('produced').notNull(),
      detail: json('detail'),
    },
    {
      doc: 'The privacy ledger: every private release (goldgen fit, goldgen privatize) with the source it read (by content digest), what it spent and what it produced. Append-only; one row per release id, so recording the same release again (e.g. on publish) does not count twice.',
      extras: [index('privacy_ledger_source', 'sourceSha256')],
    },
  ),

  contractRuns: table(
    'contract_runs',
    {
      id: id(),
      modelVersionId: integer('model_version_id').notNull().references('modelVersions.id'),
      at: createdAt('at'),
      endpoint: text('endpoint').notNull(),
      protocol: text('protocol').notNull(),
      passed: boolean('passed').notNull(),
      goldgenVersion: text('goldgen_version').notNull(),
      stages: json('stages')
        .notNull()
        .doc('Per stage (and fixture): { stage, fixture?, status, reason, seconds }.'),
      figures: json('figures').doc("The load stage's figures (p50 … rps), null when it did not run."),
      report: json('report').notNull().doc('The whole report, as `goldgen contract --json` prints it.'),
    },
    {
      doc: 'Contract runs (`goldgen contract --record`): one row per run against a served model version, with its stage results, load figures and the goldgen that ran it; append-only.',
      extras: [index('contract_runs_model_version', 'modelVersionId')],
    },
  ),

  contractRunDatasets: table(
    'contract_run_datasets',
    {
      runId: integer('run_id').notNull().references('contractRuns.id'),
      datasetVersionId: integer('dataset_version_id').notNull().references('datasetVersions.id'),
    },
    {
      doc: 'The dataset versions a contract run replayed.',
      extras: [primaryKey('runId', 'datasetVersionId')],
    },
  ),
}
