/**
 * The fixture a parity run sends through both pipelines: a dataset version read from the
 * registry (the same resolution as `goldgen fetch`), each row's edge-case and missing tags (the
 * manifest's `edgeCases`, null cells and a `_goldgen_tags` column when the version has one), and
 * the fixture written as a file in a format a command asks for, made once per format.
 */
import { join } from 'node:path'
import type { Registry } from '../../registry/service.ts'
import type { Manifest } from '../api/manifest.ts'
import { type FormatName, formats } from '../formats/index.ts'
import { type DataRow, openRows } from '../formats/read.ts'
import type { InputFormat } from './types.ts'

const TAGS_COLUMN = '_goldgen_tags'

export interface ParityFixture {
  /** `dataset@version`. */
  ref: string
  rows: DataRow[]
  tags(row: number): string[]
  /** The fixture as a file in `format` (in the run's folder). */
  inputFile(format: InputFormat): Promise<string>
}

/** Row number → `column:kind` tags from the manifest's per-column `edgeCases`. */
function edgeCaseTags(manifest: Manifest): Map<number, string[]> {
  const info = (manifest.columns ?? {}) as Record<string, { edgeCases?: Record<string, number[]> }>
  const tags = new Map<number, string[]>()
  for (const [column, stats] of Object.entries(info))
    for (const [kind, list] of Object.entries(stats.edgeCases ?? {}))
      for (const r of list) tags.set(r, [...(tags.get(r) ?? []), `${column}:${kind}`])
  return tags
}

/** Loads a dataset version as a parity fixture; files are written under `dir`. */
export async function loadParityFixture(
  registry: Registry,
  ref: string,
  dir: string,
): Promise<ParityFixture> {
  const v = await registry.resolve(ref)
  const exact = `${v.dataset}@${v.version}`
  const stored = await registry.representation(v, v.format as FormatName)
  const rows: DataRow[] = []
  for await (const row of (await openRows(stored.path, v.format as FormatName)).rows) rows.push(row)
  const edge = edgeCaseTags((await registry.manifest(exact)) as Manifest)
  const files = new Map<InputFormat, Promise<string>>()
  return {
    ref: exact,
    rows,
    tags(r) {
      const row = rows[r]
      if (row === undefined) return []
      const own = typeof row[TAGS_COLUMN] === 'string' ? (row[TAGS_COLUMN] as string).split(',') : []
      const missing = Object.keys(row)
        .filter((c) => c !== TAGS_COLUMN && row[c] === null)
        .map((c) => `${c}:missing`)
      return [...new Set([...(edge.get(r) ?? []), ...missing, ...own])].filter((t) => t !== '')
    },
    inputFile(format) {
      let file = files.get(format)
      if (file === undefined) {
        const path = join(dir, `input${formats[format].extensions[0]}`)
        file = registry.fetch(exact, path, format).then((f) => f.path)
        files.set(format, file)
      }
      return file
    },
  }
}
