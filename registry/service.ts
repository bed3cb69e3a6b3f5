/**
 * The registry service: immutable, numbered, content-addressed dataset versions with aliases,
 * model versions with expected outputs, and the checks that compare a model's outputs with
 * them. It works through two interfaces only (MetadataStore and BlobStore), so other drivers
 * (PostgreSQL, S3) can replace the SQLite and file-system ones without touching this file.
 *
 * Crash safety: a publish writes its blobs first (each whole or not at all) and then the version
 * in one transaction. A crash leaves either the whole version or none of it, plus at most an
 * unreferenced blob that `gc` removes.
 */
import { execSync } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { copyFileSync, mkdirSync, rmSync } from 'node:fs'
import { basename, join, resolve } from 'node:path'
import { canonicalDef } from '../schemas/canonical.ts'
import type { DatasetDef } from '../schemas/language.ts'
import type { SchemaSource } from '../src/api/generate.ts'
import { inspectFile } from '../src/api/inspect.ts'
import type { Manifest } from '../src/api/manifest.ts'
import { type ByteSink, fileSink } from '../src/api/sink.ts'
import { type Comparison, compareRows, type Tolerance } from '../src/compare/rows.ts'
import { GoldgenError } from '../src/core/errors.ts'
import { VERSION } from '../src/core/version.ts'
import { type FormatName, formatForPath, formatNames, formats } from '../src/formats/index.ts'
import { type DataRow, openRows, sniffFormat } from '../src/formats/read.ts'
import { zcdpToEpsilon } from '../src/privacy/accountant.ts'
import { fsBlobStore } from './fs/blobs.ts'
import { convertRows } from './convert.ts'
import { checkAlias, checkName, parseDatasetRef, parseModelRef } from './refs.ts'
import { sqliteMetadataStore } from './sqlite/index.ts'
import type {
  AliasMove,
  BlobStore,
  ExpectationRecord,
  LedgerEntry,
  MetadataStore,
  ModelVersionRecord,
  TokenScope,
  VersionRecord,
} from './stores.ts'

export const DEFAULT_REGISTRY_DIR = '.goldgen'

export interface RegistryOptions {
  /** The registry folder (default: $GOLDGEN_REGISTRY, else `.goldgen` in the working directory). */
  dir?: string | undefined
  /** Recorded as the author of versions and alias moves. */
  user?: string | undefined
  /** Drivers, for tests and other backends; default SQLite and files under `dir`. */
  metadata?: MetadataStore
  blobs?: BlobStore
}

/** What a generated version was made from: enough to make it again. */
export interface Recipe {
  schema: DatasetDef
  seed: number
  rows: number
  goldgen: { version: string; algorithm: number }
  libraries: Record<string, string>
}

export interface PublishResult {
  ref: string
  version: VersionRecord
  /** False when byte-identical content was already published: the existing version is returned. */
  created: boolean
}

export interface CheckReport {
  model: string
  version: string
  passed: boolean
  results: ({ dataset: string; expectation: ExpectationRecord } & Comparison)[]
}

export interface VerifyResult {
  ref: string
  ok: boolean
  detail: string
}

export interface DiffReport {
  a: string
  b: string
  rows: { a: number; b: number }
  schema: { added: string[]; removed: string[]; changed: string[] } | null
  stats: Record<string, Record<string, { a: unknown; b: unknown }>>
  byKey?: {
    key: string
    added: number
    removed: number
    changed: number
    examples: { key: unknown; change: 'added' | 'removed' | 'changed' }[]
  }
}

export type Registry = Awaited<ReturnType<typeof openRegistry>>

const refOf = (v: VersionRecord) => `${v.dataset}@${v.version}`

async function readAll(file: string, format: FormatName): Promise<DataRow[]> {
  const rows: DataRow[] = []
  for await (const row of (await openRows(file, format)).rows) rows.push(row)
  return rows
}

/** A sink that only hashes (for verify: regenerate without writing anything). */
function hashingSink(): ByteSink {
  const hash = createHash('sha256')
  let bytes = 0
  return {
    write(b) {
      const data = typeof b === 'string' ? Buffer.from(b, 'utf8') : b
      hash.update(data)
      bytes += data.length
    },
    commit: () => ({ bytes, sha256: hash.digest('hex') }),
    abort() {},
  }
}

/** The generation engine (and so faker and the generators), loaded only by the commands that generate. */
async function generation() {
  const [{ planDataset }, { generateInto, libraryVersions }] = await Promise.all([
    import('../src/api/plan.ts'),
    import('../src/api/generate.ts'),
  ])
  return { planDataset, generateInto, libraryVersions }
}

/** Opens (creating if needed) the registry in `dir`. */
export async function openRegistry(options: RegistryOptions = {}) {
  const dir = resolve(options.dir ?? process.env.GOLDGEN_REGISTRY ?? DEFAULT_REGISTRY_DIR)
  mkdirSync(join(dir, 'objects'), { recursive: true })
  const store = options.metadata ?? (await sqliteMetadataStore(join(dir, 'registry.db')))
  const blobs = options.blobs ?? fsBlobStore(join(dir, 'objects'))
  const staging = join(dir, 'objects', 'tmp')
  const user = options.user ?? process.env.GOLDGEN_USER ?? process.env.USER ?? null
  const stagingPath = (label: string) =>
    join(staging, `${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}-${label}`)

  async function resolveRef(text: string): Promise<VersionRecord> {
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

  async function manifestOf(v: VersionRecord): Promise<Manifest> {
    return JSON.parse(Buffer.from(await blobs.read(v.manifestSha256)).toString('utf8')) as Manifest
  }

  async function storeVersion(
    dataset: string,
    dataFile: string,
    format: FormatName,
    rows: number,
    recipe: Recipe | null,
    manifest: object,
  ) {
    const data = await blobs.putFile(dataFile)
    const files = [
      { path: `data${formats[format].extensions[0]}`, format, mediaType: formats[format].mediaType, ...data },
    ]
    const meta = await blobs.putBytes(`${JSON.stringify({ ...manifest, files }, null, 2)}\n`)
    const { version, created } = await store.publishVersion({
      dataset,
      sha256: data.sha256,
      bytes: data.bytes,
      format,
      rows,
      recipe,
      manifestSha256: meta.sha256,
      manifestBytes: meta.bytes,
      createdBy: user ?? undefined,
    })
    return { ref: refOf(version), version, created }
  }

  async function modelVersion(text: string): Promise<ModelVersionRecord> {
    const { model, version } = parseModelRef(text)
    const found = await store.getModelVersion(model, version)
    if (found === undefined)
      throw new GoldgenError(
        'NOT_FOUND',
        `no model version ${model}@${version}; add it with goldgen model add ${model}@${version}`,
      )
    return found
  }

  /** Writes a version's data to `out` in `format` (converting when it differs from how it is stored). */
  async function fetchTo(
    v: VersionRecord,
    out: string,
    format: FormatName,
  ): Promise<{ path: string; format: FormatName; bytes: number; sha256: string }> {
    const source = await blobs.verifiedPath(v.sha256)
    if (format === v.format) {
      const sink = fileSink(out)
      sink.write(await blobs.read(v.sha256))
      return { path: out, format, ...sink.commit() }
    }
    const sink = fileSink(out)
    try {
      const recipe = v.recipe as Recipe | null
      if (recipe !== null && wholeRecords(recipe)) {
        // Records (JSON Schema, fitted models) have nested values and left-out properties that
        // Arrow holds as structs and nulls; the same rows are made again from the recipe, in
        // the asked format, so JSONL gets the records themselves.
        const { planDataset, generateInto } = await generation()
        const plan = planDataset(recipe.schema, { seed: recipe.seed, rows: recipe.rows })
        const made = (await generateInto(plan, format, sink, basename(out))).files[0]!
        return { path: out, format, bytes: made.bytes, sha256: made.sha256 }
      }
      await convertRows(source, v.format as FormatName, format, (b) => sink.write(b))
      return { path: out, format, ...sink.commit() }
    } catch (e) {
      sink.abort()
      throw e
    }
  }

  return {
    dir,

    /** Generates a dataset from a schema and stores it as a new immutable version. */
    async publishSchema(
      source: SchemaSource,
      opts: { dataset: string; seed?: number | undefined; rows?: number | undefined },
    ): Promise<PublishResult> {
      checkName('dataset', opts.dataset)
      const { planDataset, generateInto } = await generation()
      const plan = planDataset(source.def, { seed: opts.seed, rows: opts.rows }, source)
      const tmp = stagingPath('data.arrow')
      const manifest = await generateInto(plan, 'arrow', fileSink(tmp), 'data.arrow')
      const recipe: Recipe = {
        schema: canonicalDef(source.def),
        seed: plan.seed,
        rows: plan.rows,
        goldgen: manifest.goldgen,
        libraries: manifest.libraries,
      }
      try {
        const published = await storeVersion(opts.dataset, tmp, 'arrow', plan.rows, recipe, manifest)
        // A schema fitted under DP carries its release: the ledger keeps it (once per release).
        const privacy = source.def.privacy as PrivacyBlock | undefined
        if (privacy !== undefined && typeof privacy.id === 'string') {
          await store.recordPrivacy(ledgerEntryOf(privacy, published.ref))
        }
        return published
      } finally {
        rmSync(tmp, { force: true })
      }
    },

    /** Stores an existing Arrow, CSV or JSONL file as a new immutable version. */
    async publishFile(file: string, opts: { dataset: string }): Promise<PublishResult> {
      checkName('dataset', opts.dataset)
      const format = sniffFormat(file)
      const inspection = await inspectFile(file, 0)
      const tmp = stagingPath(basename(file))
      copyFileSync(file, tmp)
      const manifest = {
        manifestVersion: 1,
        goldgen: { version: VERSION },
        imported: basename(file),
        rows: inspection.rows,
        columns: Object.fromEntries(inspection.columns.map(({ name, ...c }) => [name, c])),
      }
      try {
        return await storeVersion(opts.dataset, tmp, format, inspection.rows, null, manifest)
      } finally {
        rmSync(tmp, { force: true })
      }
    },

    resolve: resolveRef,
    manifest: async (ref: string) => manifestOf(await resolveRef(ref)),

    async alias(ref: string, alias: string): Promise<AliasMove & { dataset: string }> {
      checkAlias(alias)
      const v = await resolveRef(ref)
      return { dataset: v.dataset, ...(await store.moveAlias(v.dataset, alias, v.id, user ?? undefined)) }
    },

    async history(dataset: string): Promise<AliasMove[]> {
      checkName('dataset', dataset)
      if (!(await store.datasetExists(dataset)))
        throw new GoldgenError('NOT_FOUND', `no dataset named ${JSON.stringify(dataset)}`)
      return store.aliasHistory(dataset)
    },

    list: () => store.listDatasets(),
    /** A dataset's aliases and the version numbers they point at. */
    async aliases(dataset: string) {
      checkName('dataset', dataset)
      if (!(await store.datasetExists(dataset)))
        throw new GoldgenError('NOT_FOUND', `no dataset named ${JSON.stringify(dataset)}`)
      return store.aliases(dataset)
    },
    versions: (dataset: string) => store.listVersions(checkName('dataset', dataset)),

    async show(ref: string) {
      const version = await resolveRef(ref)
      return { version, aliases: await store.aliases(version.dataset), manifest: await manifestOf(version) }
    },

    async fetch(ref: string, out: string, format?: FormatName) {
      const v = await resolveRef(ref)
      const target = format ?? formatForPath(out) ?? (v.format as FormatName)
      if (!formatNames.includes(target)) throw new GoldgenError('USAGE', `unknown format ${target}`)
      return { ref: refOf(v), ...(await fetchTo(v, resolve(out), target)) }
    },

    /**
     * A version in `format`, as a verified blob: the stored file, or a conversion made once and
     * kept (so its digest, the HTTP ETag, is never computed per request).
     */
    async representation(ref: string | VersionRecord, format: FormatName) {
      const v = typeof ref === 'string' ? await resolveRef(ref) : ref
      let found =
        format === v.format ? { sha256: v.sha256, bytes: 0 } : await store.getRepresentation(v.id, format)
      if (found === undefined) {
        const tmp = stagingPath(`repr${formats[format].extensions[0]}`)
        await fetchTo(v, tmp, format)
        const blob = await blobs.putFile(tmp)
        await store.addRepresentation({ versionId: v.id, format, ...blob })
        found = blob
      }
      return {
        version: v,
        format,
        mediaType: formats[format].mediaType,
        sha256: found.sha256,
        path: await blobs.verifiedPath(found.sha256),
      }
    },

    async addModel(ref: string, metadata: Record<string, string> = {}) {
      const { model, version } = parseModelRef(ref)
      return store.addModelVersion(model, version, metadata)
    },

    /** Attaches expected outputs (one row per input row) with tolerances. Nothing is written when they are invalid. */
    async expect(
      modelRef: string,
      datasetRef: string,
      outputsFile: string,
      tolerances: Record<string, Tolerance> = {},
    ) {
      const mv = await modelVersion(modelRef)
      const v = await resolveRef(datasetRef)
      const format = sniffFormat(outputsFile)
      const inspection = await inspectFile(outputsFile, 0)
      if (inspection.rows !== v.rows) {
        throw new GoldgenError(
          'USAGE',
          `the outputs have ${inspection.rows} rows but ${refOf(v)} has ${v.rows}: expected one output row per input row`,
          { file: outputsFile },
        )
      }
      const columns = inspection.columns.map((c) => c.name)
      for (const column of Object.keys(tolerances)) {
        if (!columns.includes(column)) {
          throw new GoldgenError(
            'USAGE',
            `a tolerance names the column ${JSON.stringify(column)}, which the outputs do not have (they have ${columns.join(', ')})`,
            { file: outputsFile },
          )
        }
      }
      const tmp = stagingPath(basename(outputsFile))
      copyFileSync(outputsFile, tmp)
      const blob = await blobs.putFile(tmp)
      const { created } = await store.addExpectation({
        modelVersionId: mv.id,
        datasetVersionId: v.id,
        sha256: blob.sha256,
        bytes: blob.bytes,
        format,
        rows: inspection.rows,
        tolerances,
      })
      return { model: mv.model, version: mv.version, dataset: refOf(v), created }
    },

    /** The expected-outputs file of an expectation, verified. */
    async expectedBlob(e: ExpectationRecord) {
      return { sha256: e.sha256, path: await blobs.verifiedPath(e.sha256) }
    },

    async fixtures(modelRef: string) {
      return store.expectations((await modelVersion(modelRef)).id)
    },

    /**
     * Compares actual outputs with every expectation of a model version: from `outputs` (a file;
     * when the model version has several datasets, name one with `dataset`), or by running
     * `run` ("CMD {input} {output}") on each fixture.
     */
    async check(
      modelRef: string,
      opts: {
        outputs?: string | undefined
        run?: string | undefined
        dataset?: string | undefined
        inputFormat?: FormatName | undefined
      },
    ): Promise<CheckReport> {
      const mv = await modelVersion(modelRef)
      let expectations = await store.expectations(mv.id)
      if (expectations.length === 0)
        throw new GoldgenError(
          'NOT_FOUND',
          `${mv.model}@${mv.version} has no expected outputs; attach them with goldgen expect`,
        )
      if (opts.dataset !== undefined) {
        const v = await resolveRef(opts.dataset)
        expectations = expectations.filter((e) => e.dataset.id === v.id)
        if (expectations.length === 0)
          throw new GoldgenError(
            'NOT_FOUND',
            `${mv.model}@${mv.version} has no expected outputs for ${refOf(v)}`,
          )
      }
      if ((opts.outputs === undefined) === (opts.run === undefined))
        throw new GoldgenError('USAGE', 'give either --outputs FILE or --run "CMD {input} {output}"')
      if (opts.outputs !== undefined && expectations.length > 1) {
        throw new GoldgenError(
          'USAGE',
          `${mv.model}@${mv.version} has expected outputs for ${expectations.length} datasets; say which one --outputs is for with --dataset REF, or use --run`,
        )
      }
      const results: CheckReport['results'] = []
      for (const e of expectations) {
        const expected = await readAll(await blobs.verifiedPath(e.sha256), e.format as FormatName)
        let actualFile = opts.outputs
        const temps: string[] = []
        if (opts.run !== undefined) {
          const inputFormat = opts.inputFormat ?? 'arrow'
          const input = stagingPath(`input${formats[inputFormat].extensions[0]}`)
          const output = stagingPath(`output${formats[e.format as FormatName].extensions[0]}`)
          temps.push(input, output)
          await fetchTo(e.dataset, input, inputFormat)
          const command = opts.run
            .replaceAll('{input}', JSON.stringify(input))
            .replaceAll('{output}', JSON.stringify(output))
          try {
            execSync(command, { stdio: ['ignore', 'ignore', 'pipe'] })
          } catch (err) {
            const status = (err as { status?: number }).status
            const stderr = String((err as { stderr?: Buffer }).stderr ?? '')
              .trim()
              .split('\n')
              .slice(-3)
              .join('\n')
            throw new GoldgenError(
              'IO',
              `the model command failed (exit code ${status ?? '?'}) on ${refOf(e.dataset)}${stderr ? `:\n${stderr}` : ''}`,
            )
          }
          actualFile = output
        }
        try {
          const actual = await readAll(actualFile!, sniffFormat(actualFile!))
          const manifest = await manifestOf(e.dataset)
          const tags = new Map<number, string[]>()
          for (const [column, info] of Object.entries(manifest.columns ?? {})) {
            for (const [kind, rows] of Object.entries(
              (info as { edgeCases?: Record<string, number[]> }).edgeCases ?? {},
            )) {
              for (const r of rows) tags.set(r, [...(tags.get(r) ?? []), `${column}:${kind}`])
            }
          }
          results.push({
            dataset: refOf(e.dataset),
            expectation: e,
            ...compareRows(expected, actual, e.tolerances, (r) => tags.get(r) ?? []),
          })
        } finally {
          for (const t of temps) rmSync(t, { force: true })
        }
      }
      return {
        model: mv.model,
        version: mv.version,
        passed: results.every((r) => r.rowsFailing === 0 && r.problems.length === 0),
        results,
      }
    },

    /** Regenerates versions from their recipes and compares digests; checks every blob's integrity. */
    async verify(ref: string | 'all'): Promise<VerifyResult[]> {
      const targets: VersionRecord[] = []
      if (ref === 'all')
        for (const d of await store.listDatasets()) targets.push(...(await store.listVersions(d.name)))
      else targets.push(await resolveRef(ref))
      const out: VerifyResult[] = []
      for (const v of targets) {
        try {
          await blobs.verifiedPath(v.sha256)
          await blobs.verifiedPath(v.manifestSha256)
        } catch (e) {
          out.push({ ref: refOf(v), ok: false, detail: (e as Error).message })
          continue
        }
        const recipe = v.recipe as Recipe | null
        if (recipe === null) {
          out.push({ ref: refOf(v), ok: true, detail: 'imported file: content matches its digest' })
          continue
        }
        const { planDataset, generateInto, libraryVersions } = await generation()
        const plan = planDataset(recipe.schema, { seed: recipe.seed, rows: recipe.rows })
        const m = await generateInto(plan, v.format as FormatName, hashingSink(), 'data')
        const same = m.files[0]!.sha256 === v.sha256
        const versions =
          recipe.goldgen.version === VERSION
            ? ''
            : ` (published with goldgen ${recipe.goldgen.version}, now ${VERSION})`
        const libs = Object.entries(libraryVersions()).filter(([k, x]) => recipe.libraries[k] !== x)
        const drift =
          libs.length === 0
            ? ''
            : `; library versions differ: ${libs.map(([k, x]) => `${k} ${recipe.libraries[k]} → ${x}`).join(', ')}`
        out.push({
          ref: refOf(v),
          ok: same,
          detail: same
            ? 'regenerated from its recipe: identical bytes'
            : `regenerated bytes differ (sha256 ${m.files[0]!.sha256.slice(0, 12)}… vs stored ${v.sha256.slice(0, 12)}…)${versions}${drift}`,
        })
      }
      return out
    },

    async diff(refA: string, refB: string): Promise<DiffReport> {
      const [a, b] = [await resolveRef(refA), await resolveRef(refB)]
      const [ma, mb] = [await manifestOf(a), await manifestOf(b)]
      const report: DiffReport = {
        a: refOf(a),
        b: refOf(b),
        rows: { a: a.rows, b: b.rows },
        schema: null,
        stats: {},
      }
      const [ra, rb] = [a.recipe as Recipe | null, b.recipe as Recipe | null]
      if (ra !== null && rb !== null) {
        const [ca, cb] = [ra.schema.columns ?? {}, rb.schema.columns ?? {}]
        report.schema = {
          added: Object.keys(cb).filter((c) => !(c in ca)),
          removed: Object.keys(ca).filter((c) => !(c in cb)),
          changed: Object.keys(ca).filter((c) => c in cb && JSON.stringify(ca[c]) !== JSON.stringify(cb[c])),
        }
      }
      for (const [column, sa] of Object.entries(ma.columns ?? {})) {
        const sb = mb.columns?.[column] as unknown as Record<string, unknown> | undefined
        if (sb === undefined) continue
        for (const key of ['min', 'max', 'mean', 'nullCount', 'missingCount', 'type']) {
          const [x, y] = [(sa as unknown as Record<string, unknown>)[key], sb[key]]
          if (JSON.stringify(x) !== JSON.stringify(y)) {
            report.stats[column] ??= {}
            report.stats[column][key] = { a: x, b: y }
          }
        }
      }
      const keyColumn =
        ra !== null
          ? Object.entries(ra.schema.columns ?? {}).find(([, s]) => s.type === 'id')?.[0]
          : undefined
      const key = keyColumn ?? ('id' in (ma.columns ?? {}) ? 'id' : undefined)
      if (key !== undefined) {
        const index = (rows: DataRow[]) =>
          new Map(rows.map((r) => [JSON.stringify(r[key]), JSON.stringify(r)]))
        const [ia, ib] = [
          index(await readAll(await blobs.verifiedPath(a.sha256), a.format as FormatName)),
          index(await readAll(await blobs.verifiedPath(b.sha256), b.format as FormatName)),
        ]
        const byKey: NonNullable<DiffReport['byKey']> = {
          key,
          added: 0,
          removed: 0,
          changed: 0,
          examples: [],
        }
        const note = (k: string, change: 'added' | 'removed' | 'changed') => {
          byKey[change]++
          if (byKey.examples.length < 10) byKey.examples.push({ key: JSON.parse(k), change })
        }
        for (const [k, row] of ia)
          if (!ib.has(k)) note(k, 'removed')
          else if (ib.get(k) !== row) note(k, 'changed')
        for (const k of ib.keys()) if (!ia.has(k)) note(k, 'added')
        report.byKey = byKey
      }
      return report
    },

    /** Removes blobs that nothing references, and staging files of processes that are gone. */
    async gc(opts: { dryRun?: boolean } = {}) {
      const referenced = await store.referencedBlobs()
      const orphans = blobs.list().filter((b) => !referenced.has(b))
      if (!opts.dryRun) {
        for (const b of orphans) {
          blobs.delete(b)
          await store.forgetBlob(b)
        }
      }
      const staging = blobs.sweep?.(opts.dryRun === true) ?? []
      return { removed: orphans, staging, dryRun: opts.dryRun === true }
    },

    /** Creates an API token; the returned secret is shown once and only its SHA-256 is stored. */
    async createToken(scope: TokenScope, name: string) {
      if (!['read', 'write', 'admin'].includes(scope))
        throw new GoldgenError(
          'USAGE',
          `unknown scope ${JSON.stringify(scope)}; expected read, write or admin`,
        )
      const secret = `gg_${randomBytes(32).toString('base64url')}`
      await store.addToken({ name, scope, hash: createHash('sha256').update(secret).digest('hex') })
      return { name, scope, token: secret }
    },
    /** The token's name and scope, or undefined for an unknown token. */
    async authenticate(secret: string) {
      return store.findToken(createHash('sha256').update(secret).digest('hex'))
    },
    audit: (entry: { actor: string; action: string; target: string; detail?: unknown }) => store.audit(entry),
    auditLog: () => store.auditLog(),

    /** Records a private release in the privacy ledger (once per release id). */
    recordPrivacy: (entry: LedgerEntry) => store.recordPrivacy(entry),
    /**
     * Cumulative privacy spend per source: ρ adds up under composition (pure-ε releases count
     * as ε²/2-zCDP), reported as (ε, δ) at `delta` (default: the smallest δ recorded for the
     * source); a source with only pure-ε releases also gets their plain sum of ε.
     */
    async ledger(opts: { source?: string | undefined; delta?: number | undefined } = {}) {
      const entries = await store.privacyLedger()
      const bySource = new Map<string, (LedgerEntry & { at: string })[]>()
      for (const e of entries) {
        if (
          opts.source !== undefined &&
          !e.sourceSha256.startsWith(opts.source) &&
          e.sourceName !== opts.source
        )
          continue
        bySource.set(e.sourceSha256, [...(bySource.get(e.sourceSha256) ?? []), e])
      }
      return [...bySource].map(([sha256, list]) => {
        const counted = list.filter((e) => e.guarantee)
        const rho = counted.reduce((s, e) => s + (e.rho ?? (e.epsilon * e.epsilon) / 2), 0)
        const deltas = counted.filter((e) => e.delta > 0).map((e) => e.delta)
        const delta = opts.delta ?? (deltas.length > 0 ? Math.min(...deltas) : 1e-9)
        const pureOnly = counted.length > 0 && counted.every((e) => e.rho === null)
        return {
          source: { sha256, name: list.at(-1)!.sourceName },
          releases: list.length,
          withoutGuarantee: list.length - counted.length,
          rho,
          epsilon: rho === 0 ? 0 : zcdpToEpsilon(rho, delta),
          delta,
          ...(pureOnly ? { pureEpsilon: counted.reduce((s, e) => s + e.epsilon, 0) } : {}),
          entries: list,
        }
      })
    },

    integrityCheck: () => store.integrityCheck(),
    close: () => store.close(),
  }
}

/** The `privacy` block that `goldgen fit` writes into a schema. */
interface PrivacyBlock {
  id: string
  mechanism: string
  epsilon: number
  delta: number
  rho: number | null
  source: { sha256: string; name: string }
  guarantee: boolean
  produced?: string
  spends?: unknown
}

/** A ledger entry for a fit's privacy block. */
export function ledgerEntryOf(p: PrivacyBlock, produced?: string): LedgerEntry {
  return {
    releaseId: p.id,
    sourceSha256: p.source.sha256,
    sourceName: p.source.name,
    mechanism: p.mechanism,
    rho: p.rho,
    epsilon: p.epsilon,
    delta: p.delta,
    guarantee: p.guarantee,
    produced: produced ?? p.produced ?? '',
    detail: { spends: p.spends ?? [] },
  }
}

/**
 * Whether a recipe makes whole records (`records:` or `model:`) with this very goldgen, so a
 * representation can be made again from it rather than converted from the stored Arrow.
 */
function wholeRecords(recipe: Recipe): boolean {
  const { schema } = recipe
  return (schema.records !== undefined || schema.model !== undefined) && recipe.goldgen.version === VERSION
}
