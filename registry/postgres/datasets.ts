/**
 * The PostgreSQL store's dataset versions and aliases: publishing (numbered max + 1 under the
 * dataset's row lock, deduplicated by content, so concurrent publishers from any number of
 * replicas get distinct consecutive numbers), look-ups, and alias moves with their history.
 *
 * `datasetOps` is one closure over the connection (~150 lines) on purpose: its methods are short
 * and share the prepared queries and the transaction helper, like the SQLite driver's modules.
 */
import { and, asc, desc, eq, like, sql } from 'drizzle-orm'
import type { MetadataStore } from '../stores.ts'
import type { PgContext } from './context.ts'
import * as t from './schema.ts'

type DatasetOps = Pick<
  MetadataStore,
  | 'publishVersion'
  | 'listDatasets'
  | 'listVersions'
  | 'getVersion'
  | 'latestVersion'
  | 'versionsBySha'
  | 'datasetExists'
  | 'getAlias'
  | 'moveAlias'
  | 'aliasHistory'
  | 'aliases'
>

export function datasetOps(ctx: PgContext): DatasetOps {
  const { db, tx, versions, versionById, datasetId, lockDataset } = ctx
  const number = async (vid: number | null) => (vid === null ? null : (await versionById(vid))!.version)
  return {
    async publishVersion(v) {
      return tx(async (q) => {
        const id = await lockDataset(q, v.dataset)
        const [existing] = await versions(q).where(
          and(eq(t.datasetVersions.datasetId, id), eq(t.datasetVersions.sha256, v.sha256)),
        )
        if (existing !== undefined) return { version: existing, created: false }
        await q
          .insert(t.blobs)
          .values([
            { sha256: v.sha256, bytes: v.bytes },
            ...(v.manifestSha256 === v.sha256 ? [] : [{ sha256: v.manifestSha256, bytes: v.manifestBytes }]),
          ])
          .onConflictDoNothing()
        const [last] = await q
          .select({ n: sql<number>`coalesce(max(${t.datasetVersions.version}), 0)` })
          .from(t.datasetVersions)
          .where(eq(t.datasetVersions.datasetId, id))
        const [row] = await q
          .insert(t.datasetVersions)
          .values({
            datasetId: id,
            version: Number(last!.n) + 1,
            sha256: v.sha256,
            format: v.format,
            rows: v.rows,
            recipe: v.recipe,
            manifestSha256: v.manifestSha256,
            createdBy: v.createdBy ?? null,
            ...(v.createdAt === undefined ? {} : { createdAt: v.createdAt }),
          })
          .returning({ id: t.datasetVersions.id })
        return { version: (await versionById(row!.id, q))!, created: true }
      })
    },
    async listDatasets() {
      const rows = await db
        .select({
          name: t.datasets.name,
          versions: sql<number>`count(${t.datasetVersions.id})`,
          latest: sql<number | null>`max(${t.datasetVersions.version})`,
        })
        .from(t.datasets)
        .leftJoin(t.datasetVersions, eq(t.datasetVersions.datasetId, t.datasets.id))
        .groupBy(t.datasets.id)
        .orderBy(t.datasets.name)
      return rows.map((r) => ({
        name: r.name,
        versions: Number(r.versions),
        latest: r.latest === null ? null : Number(r.latest),
      }))
    },
    async listVersions(dataset) {
      return versions().where(eq(t.datasets.name, dataset)).orderBy(asc(t.datasetVersions.version))
    },
    async getVersion(dataset, version) {
      const [row] = await versions().where(
        and(eq(t.datasets.name, dataset), eq(t.datasetVersions.version, version)),
      )
      return row
    },
    async latestVersion(dataset) {
      const [row] = await versions()
        .where(eq(t.datasets.name, dataset))
        .orderBy(desc(t.datasetVersions.version))
        .limit(1)
      return row
    },
    async versionsBySha(dataset, prefix) {
      const pattern = `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
      return versions()
        .where(and(eq(t.datasets.name, dataset), like(t.datasetVersions.sha256, pattern)))
        .orderBy(asc(t.datasetVersions.version))
    },
    async datasetExists(dataset) {
      return (await datasetId(dataset)) !== undefined
    },
    async getAlias(dataset, alias) {
      const [row] = await db
        .select({ versionId: t.aliases.versionId })
        .from(t.aliases)
        .innerJoin(t.datasets, eq(t.datasets.id, t.aliases.datasetId))
        .where(and(eq(t.datasets.name, dataset), eq(t.aliases.name, alias)))
      return row === undefined ? undefined : versionById(row.versionId)
    },
    async moveAlias(dataset, alias, versionId, movedBy) {
      const moved = await tx(async (q) => {
        const id = await lockDataset(q, dataset)
        const [current] = await q
          .select({ versionId: t.aliases.versionId })
          .from(t.aliases)
          .where(and(eq(t.aliases.datasetId, id), eq(t.aliases.name, alias)))
        await q
          .insert(t.aliases)
          .values({ datasetId: id, name: alias, versionId })
          .onConflictDoUpdate({ target: [t.aliases.datasetId, t.aliases.name], set: { versionId } })
        const [row] = await q
          .insert(t.aliasHistory)
          .values({
            datasetId: id,
            name: alias,
            fromVersionId: current?.versionId ?? null,
            toVersionId: versionId,
            movedBy: movedBy ?? null,
          })
          .returning()
        return row!
      })
      return {
        name: alias,
        from: await number(moved.fromVersionId),
        to: (await number(moved.toVersionId))!,
        movedAt: moved.movedAt,
        movedBy: moved.movedBy,
      }
    },
    async aliasHistory(dataset) {
      const rows = await db
        .select({ h: t.aliasHistory })
        .from(t.aliasHistory)
        .innerJoin(t.datasets, eq(t.datasets.id, t.aliasHistory.datasetId))
        .where(eq(t.datasets.name, dataset))
        .orderBy(asc(t.aliasHistory.id))
      const out = []
      for (const { h } of rows)
        out.push({
          name: h.name,
          from: await number(h.fromVersionId),
          to: (await number(h.toVersionId))!,
          movedAt: h.movedAt,
          movedBy: h.movedBy,
        })
      return out
    },
    async aliases(dataset) {
      const rows = await db
        .select({ name: t.aliases.name, version: t.datasetVersions.version })
        .from(t.aliases)
        .innerJoin(t.datasets, eq(t.datasets.id, t.aliases.datasetId))
        .innerJoin(t.datasetVersions, eq(t.datasetVersions.id, t.aliases.versionId))
        .where(eq(t.datasets.name, dataset))
      return Object.fromEntries(rows.map((r) => [r.name, r.version]))
    },
  }
}
