/**
 * What the registry's domain modules share: the folder, the two stores, the acting user and
 * staging paths, plus the small helpers every module uses (a version's reference, reading rows).
 */
import type { FormatName } from '../src/formats/index.ts'
import { type DataRow, openRows } from '../src/formats/read.ts'
import type { BlobStore, MetadataStore, VersionRecord } from './stores.ts'

export interface RegistryContext {
  dir: string
  store: MetadataStore
  blobs: BlobStore
  /** Recorded as the author of versions and alias moves. */
  user: string | null
  /** A fresh path in the staging folder, ending in `label`. */
  stagingPath(label: string): string
}

export const refOf = (v: VersionRecord) => `${v.dataset}@${v.version}`

export async function readAll(file: string, format: FormatName): Promise<DataRow[]> {
  const rows: DataRow[] = []
  for await (const row of (await openRows(file, format)).rows) rows.push(row)
  return rows
}
