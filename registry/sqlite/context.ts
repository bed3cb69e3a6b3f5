/**
 * What the SQLite store's parts share: the connection, the drizzle handle, the write
 * transaction, and the version look-ups every part needs (by id, by number, latest).
 */
import { eq } from 'drizzle-orm'
import type { VersionRecord } from '../stores.ts'
import type { Db } from './connect.ts'
import * as t from './schema.ts'

export interface SqliteContext {
  sqlite: import('better-sqlite3').Database
  db: Db
  /** Runs `f` in an IMMEDIATE transaction: concurrent writers queue on the lock instead of failing. */
  write<T>(f: () => T): T
  /** A drizzle query of versions with their dataset's name (add `where`/`orderBy`). */
  versions(): ReturnType<typeof selectVersions>
  versionById(id: number): VersionRecord | undefined
  versionByNumber(name: string, version: number): VersionRecord | undefined
  latestVersion(name: string): VersionRecord | undefined
  datasetId(name: string): number | undefined
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

function selectVersions(db: Db) {
  return db
    .select(versionColumns)
    .from(t.datasetVersions)
    .innerJoin(t.datasets, eq(t.datasets.id, t.datasetVersions.datasetId))
}

// The read path's queries are raw prepared statements: building SQL and mapping rows through
// drizzle per call dominated HTTP request time (see bench/http.bench.ts).
const versionSelect = `select v.id, d.name as dataset, v.version, v.sha256, v.format, v.rows, v.recipe,
    v.manifest_sha256 as manifestSha256, v.created_at as createdAt, v.created_by as createdBy
    from dataset_versions v join datasets d on d.id = v.dataset_id`
type RawVersion = Omit<VersionRecord, 'recipe'> & { recipe: string | null }
const toVersion = (r: RawVersion | undefined): VersionRecord | undefined =>
  r === undefined ? undefined : { ...r, recipe: r.recipe === null ? null : JSON.parse(r.recipe) }

export function sqliteContext(sqlite: import('better-sqlite3').Database, db: Db): SqliteContext {
  const byId = sqlite.prepare<[number], RawVersion>(`${versionSelect} where v.id = ?`)
  const byNumber = sqlite.prepare<[string, number], RawVersion>(
    `${versionSelect} where d.name = ? and v.version = ?`,
  )
  const latest = sqlite.prepare<[string], RawVersion>(
    `${versionSelect} where d.name = ? order by v.version desc limit 1`,
  )
  const datasetByName = sqlite.prepare<[string], { id: number }>('select id from datasets where name = ?')
  return {
    sqlite,
    db,
    write: <T>(f: () => T): T => sqlite.transaction(f).immediate(),
    versions: () => selectVersions(db),
    versionById: (id) => toVersion(byId.get(id)),
    versionByNumber: (name, version) => toVersion(byNumber.get(name, version)),
    latestVersion: (name) => toVersion(latest.get(name)),
    datasetId: (name) => datasetByName.get(name)?.id,
  }
}
