/**
 * Datasets and aliases: resolving references (`NAME`, `NAME@3`, `NAME@ALIAS`,
 * `NAME@sha256:PREFIX`), manifests, listings, and moving aliases with their history.
 */
import type { Manifest } from '../src/api/manifest.ts'
import { GoldgenError } from '../src/core/errors.ts'
import type { RegistryContext } from './context.ts'
import { checkAlias, checkName, parseDatasetRef } from './refs.ts'
import type { AliasMove, VersionRecord } from './stores.ts'

/** The version a reference names, or a NOT_FOUND error saying what is there instead. */
export async function resolveRef({ store }: RegistryContext, text: string): Promise<VersionRecord> {
  const ref = parseDatasetRef(text)
  if (!(await store.datasetExists(ref.name)))
    throw new GoldgenError('NOT_FOUND', `no dataset named ${JSON.stringify(ref.name)}`)
  const s = ref.selector
  let found: VersionRecord | undefined
  if (s.kind === 'latest') found = await store.latestVersion(ref.name)
  else if (s.kind === 'number') found = await store.getVersion(ref.name, s.version)
  else if (s.kind === 'alias') found = await store.getAlias(ref.name, s.alias)
  else {
    const matches = await store.versionsBySha(ref.name, s.prefix)
    if (matches.length > 1) {
      throw new GoldgenError(
        'USAGE',
        `${text} matches versions ${matches.map((m) => m.version).join(', ')}; give more digits`,
      )
    }
    found = matches[0]
  }
  if (found === undefined) {
    const latest = (await store.latestVersion(ref.name))?.version
    const what =
      s.kind === 'number'
        ? `version ${s.version}`
        : s.kind === 'alias'
          ? `alias ${JSON.stringify(s.alias)}`
          : s.kind === 'sha256'
            ? `version with a digest starting ${s.prefix}`
            : 'versions'
    throw new GoldgenError(
      'NOT_FOUND',
      `${ref.name} has no ${what}${latest === undefined ? '' : ` (latest is ${ref.name}@${latest})`}`,
    )
  }
  return found
}

export async function manifestOf({ blobs }: RegistryContext, v: VersionRecord): Promise<Manifest> {
  return JSON.parse(Buffer.from(await blobs.read(v.manifestSha256)).toString('utf8')) as Manifest
}

async function existingDataset({ store }: RegistryContext, dataset: string): Promise<void> {
  checkName('dataset', dataset)
  if (!(await store.datasetExists(dataset)))
    throw new GoldgenError('NOT_FOUND', `no dataset named ${JSON.stringify(dataset)}`)
}

/** The registry's dataset and alias methods. */
export function datasetMethods(ctx: RegistryContext) {
  const { store, user } = ctx
  return {
    resolve: (text: string) => resolveRef(ctx, text),
    manifest: async (ref: string) => manifestOf(ctx, await resolveRef(ctx, ref)),

    async alias(ref: string, alias: string): Promise<AliasMove & { dataset: string }> {
      checkAlias(alias)
      const v = await resolveRef(ctx, ref)
      return { dataset: v.dataset, ...(await store.moveAlias(v.dataset, alias, v.id, user ?? undefined)) }
    },

    async history(dataset: string): Promise<AliasMove[]> {
      await existingDataset(ctx, dataset)
      return store.aliasHistory(dataset)
    },

    list: () => store.listDatasets(),
    /** A dataset's aliases and the version numbers they point at. */
    async aliases(dataset: string) {
      await existingDataset(ctx, dataset)
      return store.aliases(dataset)
    },
    versions: (dataset: string) => store.listVersions(checkName('dataset', dataset)),

    async show(ref: string) {
      const version = await resolveRef(ctx, ref)
      return {
        version,
        aliases: await store.aliases(version.dataset),
        manifest: await manifestOf(ctx, version),
      }
    },
  }
}
