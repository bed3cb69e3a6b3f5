/**
 * `goldgen registry copy`: moves a registry (typically a local folder) into another (typically
 * PostgreSQL + S3) with its history: every dataset version in order with its number, author and
 * time (a multi-table version with every table blob), alias moves, model versions with their
 * expected outputs, and the privacy ledger. Every blob is read verified from the source, stored,
 * and read back verified from the destination, and its digest compared at each step. Copying
 * again is a no-op for what is already there; a destination whose history differs is a
 * CONFLICT, never merged.
 */
import { GoldgenError } from '../src/core/errors.ts'
import type { OpenedStores } from './open-url.ts'
import type { VersionRecord } from './stores.ts'
import { isTablesVersion, readTableList } from './tables.ts'

export interface CopyReport {
  datasets: number
  versions: number
  aliasMoves: number
  modelVersions: number
  expectations: number
  ledgerEntries: number
  blobs: number
}

/** Copies everything in `from` into `to` (both opened by `openStores`). */
export async function copyRegistry(from: OpenedStores, to: OpenedStores): Promise<CopyReport> {
  const report: CopyReport = {
    datasets: 0,
    versions: 0,
    aliasMoves: 0,
    modelVersions: 0,
    expectations: 0,
    ledgerEntries: 0,
    blobs: 0,
  }
  const copied = new Map<string, number>()
  /** Copies one blob, checked on both sides; returns its size. */
  const copyBlob = async (sha256: string): Promise<number> => {
    const known = copied.get(sha256)
    if (known !== undefined) return known
    const data = await from.blobs.read(sha256) // checked against its digest
    const put = await to.blobs.putBytes(data)
    if (put.sha256 !== sha256)
      throw new GoldgenError(
        'INTEGRITY',
        `blob ${sha256.slice(0, 12)}… was stored as ${put.sha256.slice(0, 12)}…`,
      )
    await to.blobs.read(sha256) // read back, checked again, from the destination
    copied.set(sha256, put.bytes)
    report.blobs++
    return put.bytes
  }
  const ids = new Map<number, VersionRecord>()
  for (const d of await from.metadata.listDatasets()) {
    report.datasets++
    for (const v of await from.metadata.listVersions(d.name)) {
      const bytes = await copyBlob(v.sha256)
      const manifestBytes = await copyBlob(v.manifestSha256)
      // A multi-table version's tables are blobs its table list names.
      if (isTablesVersion(v)) for (const t of await readTableList(from.blobs, v)) await copyBlob(t.sha256)
      const { version } = await to.metadata.publishVersion({
        dataset: v.dataset,
        sha256: v.sha256,
        bytes,
        format: v.format,
        rows: v.rows,
        recipe: v.recipe,
        manifestSha256: v.manifestSha256,
        manifestBytes,
        createdBy: v.createdBy ?? undefined,
        createdAt: v.createdAt,
      })
      if (version.version !== v.version)
        throw new GoldgenError(
          'CONFLICT',
          `${v.dataset}@${v.version} would be ${v.dataset}@${version.version} in ${to.location}: its history of ${v.dataset} differs; copy into an empty registry`,
        )
      ids.set(v.id, version)
      report.versions++
    }
    const history = await from.metadata.aliasHistory(d.name)
    const done = (await to.metadata.aliasHistory(d.name)).length
    const target = new Map((await to.metadata.listVersions(d.name)).map((v) => [v.version, v.id]))
    for (const move of history.slice(done)) {
      await to.metadata.moveAlias(d.name, move.name, target.get(move.to)!, move.movedBy ?? undefined)
      report.aliasMoves++
    }
  }
  for (const mv of await from.metadata.listModelVersions()) {
    const { record } = await to.metadata.addModelVersion(mv.model, mv.version, mv.metadata)
    report.modelVersions++
    // Every record in order, superseded ones too: later records of a pair are updates.
    const done = (await to.metadata.expectationHistory(record.id)).length
    for (const e of (await from.metadata.expectationHistory(mv.id)).slice(done)) {
      const bytes = await copyBlob(e.sha256)
      const dataset = ids.get(e.dataset.id)!
      await to.metadata.addExpectation({
        modelVersionId: record.id,
        datasetVersionId: dataset.id,
        sha256: e.sha256,
        bytes,
        format: e.format,
        rows: e.rows,
        tolerances: e.tolerances,
        update: true,
      })
      report.expectations++
    }
  }
  for (const entry of await from.metadata.privacyLedger()) {
    const { at: _at, ...rest } = entry
    if (await to.metadata.recordPrivacy(rest)) report.ledgerEntries++
  }
  return report
}
