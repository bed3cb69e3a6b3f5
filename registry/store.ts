/**
 * The registry's metadata store: a small interface of atomic, domain-level operations (each
 * driver runs each one in a transaction of its own), and its SQLite driver over drizzle-orm and
 * better-sqlite3 (WAL, busy timeout, foreign keys, migrations applied on open).
 * better-sqlite3 and drizzle's SQLite modules load only here.
 */
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { and, eq, like, sql } from 'drizzle-orm'
import { GoldgenError } from '../src/core/errors.ts'
import { PACKAGE_ROOT } from '../src/core/version.ts'
import * as t from './schema.ts'

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

export interface Tolerance {
  kind: 'exact' | 'atol' | 'rtol'
  value?: number
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
  /** Binds expected outputs to (model version, dataset version); the same content again is a no-op, other content a conflict. */
  addExpectation(e: {
    modelVersionId: number
    datasetVersionId: number
    sha256: string
    bytes: number
    format: string
    rows: number
    tolerances: Record<string, Tolerance>
  }): Promise<{ created: boolean }>
  expectations(modelVersionId: number): Promise<ExpectationRecord[]>
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
  /** SQLite's own integrity check ("ok" when the file is sound). */
  integrityCheck(): Promise<string>
  close(): void
}

const MIGRATIONS = join(PACKAGE_ROOT, 'registry', 'migrations')
const require = createRequire(import.meta.url)

/** Opens (creating and migrating) the SQLite metadata store at `file`. */
export async function sqliteMetadataStore(file: string): Promise<MetadataStore> {
  const Database = require('better-sqlite3') as typeof import('better-sqlite3')
  const { drizzle } = await import('drizzle-orm/better-sqlite3')
  const { migrate } = await import('drizzle-orm/better-sqlite3/migrator')
  let sqlite: import('better-sqlite3').Database
  try {
    sqlite = new Database(file)
  } catch (e) {
    throw new GoldgenError('IO', `cannot open the registry database ${file}: ${(e as Error).message}`, {
      cause: e,
    })
  }
  sqlite.pragma('journal_mode = WAL')
  sqlite.pragma('busy_timeout = 30000')
  sqlite.pragma('foreign_keys = ON')
  sqlite.pragma('synchronous = FULL')
  const db = drizzle(sqlite, { schema: t })
  if (!existsSync(MIGRATIONS))
    throw new GoldgenError('INTERNAL', `registry migrations are missing at ${MIGRATIONS}`)
  for (let attempt = 0; ; attempt++) {
    try {
      migrate(db, { migrationsFolder: MIGRATIONS })
      break
    } catch (e) {
      // Another process may be applying the same migrations right now; it wins, we re-check.
      if (attempt >= 5)
        throw new GoldgenError('IO', `cannot migrate the registry database: ${(e as Error).message}`, {
          cause: e,
        })
      await new Promise((r) => setTimeout(r, 50 * (attempt + 1)))
    }
  }

  const versionColumns = {
    id: t.datasetVersions.id,
    dataset: t.datasets.name,
    version: t.datasetVersions.version,
    sha256: t.datasetVersions.sha256,
    format: t.datasetVersions.format,
    rows: t.datasetVersions.rows,
    recipe: t.datasetVersions.recipe,
    manifestSha256: t.datasetVersions.manifestSha256,
    createdAt: t.datasetVersions.createdAt,
    createdBy: t.datasetVersions.createdBy,
  }
  const versions = () =>
    db
      .select(versionColumns)
      .from(t.datasetVersions)
      .innerJoin(t.datasets, eq(t.datasets.id, t.datasetVersions.datasetId))
  // The read path's queries are raw prepared statements: building SQL and mapping rows through
  // drizzle per call dominated HTTP request time (see bench/http.bench.ts).
  const versionSelect = `select v.id, d.name as dataset, v.version, v.sha256, v.format, v.rows, v.recipe,
    v.manifest_sha256 as manifestSha256, v.created_at as createdAt, v.created_by as createdBy
    from dataset_versions v join datasets d on d.id = v.dataset_id`
  type RawVersion = Omit<VersionRecord, 'recipe'> & { recipe: string | null }
  const toVersion = (r: RawVersion | undefined): VersionRecord | undefined =>
    r === undefined ? undefined : { ...r, recipe: r.recipe === null ? null : JSON.parse(r.recipe) }
  const byIdRaw = sqlite.prepare<[number], RawVersion>(`${versionSelect} where v.id = ?`)
  const byNumberRaw = sqlite.prepare<[string, number], RawVersion>(
    `${versionSelect} where d.name = ? and v.version = ?`,
  )
  const latestRaw = sqlite.prepare<[string], RawVersion>(
    `${versionSelect} where d.name = ? order by v.version desc limit 1`,
  )
  const datasetByName = sqlite.prepare<[string], { id: number }>('select id from datasets where name = ?')
  const aliasTarget = sqlite.prepare<[string, string], { versionId: number }>(
    'select a.version_id as versionId from aliases a join datasets d on d.id = a.dataset_id where d.name = ? and a.name = ?',
  )
  const representationOf = sqlite.prepare<[number, string], { sha256: string; bytes: number }>(
    'select sha256, bytes from representations where version_id = ? and format = ?',
  )
  const byId = { get: ({ id }: { id: number }) => toVersion(byIdRaw.get(id)) }
  const byNumber = {
    get: ({ name, version }: { name: string; version: number }) => toVersion(byNumberRaw.get(name, version)),
  }
  const latest = { get: ({ name }: { name: string }) => toVersion(latestRaw.get(name)) }
  const versionById = (id: number) => byId.get({ id })
  const datasetId = (name: string) => datasetByName.get(name)?.id
  /** Runs `f` in an IMMEDIATE transaction: concurrent writers queue on the lock instead of failing. */
  const write = <T>(f: () => T): T => sqlite.transaction(f).immediate()

  return {
    async publishVersion(v) {
      return write(() => {
        let id = datasetId(v.dataset)
        if (id === undefined)
          id = db.insert(t.datasets).values({ name: v.dataset }).returning({ id: t.datasets.id }).get().id
        const existing = versions()
          .where(and(eq(t.datasetVersions.datasetId, id), eq(t.datasetVersions.sha256, v.sha256)))
          .get()
        if (existing !== undefined) return { version: existing, created: false }
        db.insert(t.blobs).values({ sha256: v.sha256, bytes: v.bytes }).onConflictDoNothing().run()
        db.insert(t.blobs)
          .values({ sha256: v.manifestSha256, bytes: v.manifestBytes })
          .onConflictDoNothing()
          .run()
        const last = db
          .select({ n: sql<number>`coalesce(max(${t.datasetVersions.version}), 0)` })
          .from(t.datasetVersions)
          .where(eq(t.datasetVersions.datasetId, id))
          .get()!.n
        const row = db
          .insert(t.datasetVersions)
          .values({
            datasetId: id,
            version: last + 1,
            sha256: v.sha256,
            format: v.format,
            rows: v.rows,
            recipe: v.recipe,
            manifestSha256: v.manifestSha256,
            createdBy: v.createdBy ?? null,
          })
          .returning({ id: t.datasetVersions.id })
          .get()
        return { version: versionById(row.id)!, created: true }
      })
    },
    async listDatasets() {
      return db
        .select({
          name: t.datasets.name,
          versions: sql<number>`count(${t.datasetVersions.id})`,
          latest: sql<number | null>`max(${t.datasetVersions.version})`,
        })
        .from(t.datasets)
        .leftJoin(t.datasetVersions, eq(t.datasetVersions.datasetId, t.datasets.id))
        .groupBy(t.datasets.id)
        .orderBy(t.datasets.name)
        .all()
    },
    async listVersions(dataset) {
      return versions().where(eq(t.datasets.name, dataset)).orderBy(t.datasetVersions.version).all()
    },
    async getVersion(dataset, version) {
      return byNumber.get({ name: dataset, version })
    },
    async latestVersion(dataset) {
      return latest.get({ name: dataset })
    },
    async versionsBySha(dataset, prefix) {
      return versions()
        .where(and(eq(t.datasets.name, dataset), like(t.datasetVersions.sha256, `${prefix}%`)))
        .orderBy(t.datasetVersions.version)
        .all()
    },
    async datasetExists(dataset) {
      return datasetId(dataset) !== undefined
    },
    async getAlias(dataset, alias) {
      const row = aliasTarget.get(dataset, alias)
      return row === undefined ? undefined : versionById(row.versionId)
    },
    async moveAlias(dataset, alias, versionId, movedBy) {
      return write(() => {
        const id = datasetId(dataset)!
        const current = db
          .select({ versionId: t.aliases.versionId })
          .from(t.aliases)
          .where(and(eq(t.aliases.datasetId, id), eq(t.aliases.name, alias)))
          .get()
        db.insert(t.aliases)
          .values({ datasetId: id, name: alias, versionId })
          .onConflictDoUpdate({ target: [t.aliases.datasetId, t.aliases.name], set: { versionId } })
          .run()
        const moved = db
          .insert(t.aliasHistory)
          .values({
            datasetId: id,
            name: alias,
            fromVersionId: current?.versionId ?? null,
            toVersionId: versionId,
            movedBy: movedBy ?? null,
          })
          .returning()
          .get()
        const number = (vid: number | null) => (vid === null ? null : versionById(vid)!.version)
        return {
          name: alias,
          from: number(moved.fromVersionId),
          to: number(moved.toVersionId)!,
          movedAt: moved.movedAt,
          movedBy: moved.movedBy,
        }
      })
    },
    async aliasHistory(dataset) {
      const id = datasetId(dataset)
      if (id === undefined) return []
      const rows = db
        .select()
        .from(t.aliasHistory)
        .where(eq(t.aliasHistory.datasetId, id))
        .orderBy(t.aliasHistory.id)
        .all()
      const number = (vid: number | null) => (vid === null ? null : versionById(vid)!.version)
      return rows.map((r) => ({
        name: r.name,
        from: number(r.fromVersionId),
        to: number(r.toVersionId)!,
        movedAt: r.movedAt,
        movedBy: r.movedBy,
      }))
    },
    async aliases(dataset) {
      const rows = db
        .select({ name: t.aliases.name, version: t.datasetVersions.version })
        .from(t.aliases)
        .innerJoin(t.datasets, eq(t.datasets.id, t.aliases.datasetId))
        .innerJoin(t.datasetVersions, eq(t.datasetVersions.id, t.aliases.versionId))
        .where(eq(t.datasets.name, dataset))
        .all()
      return Object.fromEntries(rows.map((r) => [r.name, r.version]))
    },
    async addModelVersion(model, version, metadata) {
      return write(() => {
        let id = db.select({ id: t.models.id }).from(t.models).where(eq(t.models.name, model)).get()?.id
        if (id === undefined)
          id = db.insert(t.models).values({ name: model }).returning({ id: t.models.id }).get().id
        const existing = db
          .select()
          .from(t.modelVersions)
          .where(and(eq(t.modelVersions.modelId, id), eq(t.modelVersions.version, version)))
          .get()
        if (existing !== undefined) {
          return {
            record: {
              id: existing.id,
              model,
              version,
              metadata: existing.metadata as Record<string, string>,
              createdAt: existing.createdAt,
            },
            created: false,
          }
        }
        const row = db.insert(t.modelVersions).values({ modelId: id, version, metadata }).returning().get()
        return { record: { id: row.id, model, version, metadata, createdAt: row.createdAt }, created: true }
      })
    },
    async getModelVersion(model, version) {
      const row = db
        .select({
          id: t.modelVersions.id,
          metadata: t.modelVersions.metadata,
          createdAt: t.modelVersions.createdAt,
        })
        .from(t.modelVersions)
        .innerJoin(t.models, eq(t.models.id, t.modelVersions.modelId))
        .where(and(eq(t.models.name, model), eq(t.modelVersions.version, version)))
        .get()
      return row === undefined
        ? undefined
        : {
            id: row.id,
            model,
            version,
            metadata: row.metadata as Record<string, string>,
            createdAt: row.createdAt,
          }
    },
    async addExpectation(e) {
      return write(() => {
        const existing = db
          .select()
          .from(t.expectations)
          .where(
            and(
              eq(t.expectations.modelVersionId, e.modelVersionId),
              eq(t.expectations.datasetVersionId, e.datasetVersionId),
            ),
          )
          .get()
        if (existing !== undefined) {
          if (
            existing.sha256 === e.sha256 &&
            JSON.stringify(existing.tolerances) === JSON.stringify(e.tolerances)
          )
            return { created: false }
          throw new GoldgenError(
            'CONFLICT',
            'expected outputs are already attached for this model version and dataset version; they are immutable (publish a new dataset version or model version instead)',
          )
        }
        db.insert(t.blobs).values({ sha256: e.sha256, bytes: e.bytes }).onConflictDoNothing().run()
        db.insert(t.expectations)
          .values({
            modelVersionId: e.modelVersionId,
            datasetVersionId: e.datasetVersionId,
            sha256: e.sha256,
            format: e.format,
            rows: e.rows,
            tolerances: e.tolerances,
          })
          .run()
        return { created: true }
      })
    },
    async expectations(modelVersionId) {
      const rows = db
        .select({ e: t.expectations, model: t.models.name, modelVersion: t.modelVersions.version })
        .from(t.expectations)
        .innerJoin(t.modelVersions, eq(t.modelVersions.id, t.expectations.modelVersionId))
        .innerJoin(t.models, eq(t.models.id, t.modelVersions.modelId))
        .where(eq(t.expectations.modelVersionId, modelVersionId))
        .orderBy(t.expectations.id)
        .all()
      return rows.map(({ e, model, modelVersion }) => ({
        id: e.id,
        model,
        modelVersion,
        dataset: versionById(e.datasetVersionId)!,
        sha256: e.sha256,
        format: e.format,
        rows: e.rows,
        tolerances: e.tolerances as Record<string, Tolerance>,
        createdAt: e.createdAt,
      }))
    },
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
    async addToken(token) {
      db.insert(t.tokens).values(token).run()
    },
    async findToken(hash) {
      return db
        .select({ name: t.tokens.name, scope: t.tokens.scope })
        .from(t.tokens)
        .where(eq(t.tokens.hash, hash))
        .get()
    },
    async audit(entry) {
      db.insert(t.auditLog)
        .values({
          actor: entry.actor,
          action: entry.action,
          target: entry.target,
          detail: entry.detail ?? null,
        })
        .run()
    },
    async auditLog() {
      return db
        .select({
          at: t.auditLog.at,
          actor: t.auditLog.actor,
          action: t.auditLog.action,
          target: t.auditLog.target,
          detail: t.auditLog.detail,
        })
        .from(t.auditLog)
        .orderBy(t.auditLog.id)
        .all()
    },
    async recordPrivacy(entry) {
      const result = db.insert(t.privacyLedger).values(entry).onConflictDoNothing().run()
      return result.changes > 0
    },
    async privacyLedger(sourceSha256) {
      const rows = db
        .select()
        .from(t.privacyLedger)
        .where(sourceSha256 === undefined ? undefined : eq(t.privacyLedger.sourceSha256, sourceSha256))
        .orderBy(t.privacyLedger.id)
        .all()
      return rows.map(({ id: _id, ...row }) => row as LedgerEntry & { at: string })
    },
    async integrityCheck() {
      return String(sqlite.pragma('integrity_check', { simple: true }))
    },
    close() {
      sqlite.close()
    },
  }
}
