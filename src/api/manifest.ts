/** The manifest written beside every generated file: what was made, from what, and how it came out. */
import type { DatasetDef } from '../../schemas/language.ts'
import type { ColumnStats } from '../engine/stats.ts'
import type { CoverageReport } from '../features/coverage-report.ts'

export interface ManifestFile {
  /** The file name, relative to the manifest's folder (or "-" for standard output). */
  path: string
  format: string
  mediaType: string
  bytes: number
  sha256: string
}

export interface ManifestColumn extends ColumnStats {
  type: string
  generator: { type: string; version: number }
  arrowType: string
  /** The sentinel that stands for a missing value, when `missing.as` is set. */
  missingAs?: string | number
}

export interface Manifest {
  manifestVersion: 1
  goldgen: { version: string; algorithm: number }
  libraries: Record<string, string>
  name: string | null
  schema: DatasetDef
  schemaSha256: string
  seed: number
  rows: number
  offset: number
  /** Rows of the full dataset this output is (a slice of). */
  total: number
  files: ManifestFile[]
  columns: Record<string, ManifestColumn>
  /** Negative rows written beside the data (`--negative`), with how many of each violation. */
  negative?: {
    path: string
    format: 'jsonl'
    rows: number
    bytes: number
    sha256: string
    violations: Record<string, number>
  }
  /** Coverage achieved by the rows written; null when the schema asks for none. */
  coverage: CoverageReport | null
  /** `--shard i/N`: this output is partition `index` of `count` (whole blocks of the full dataset). */
  shard?: { index: number; count: number }
  /** `--shards N`: the dataset is written as N parts, listed in `files` in row order. */
  shards?: number
  /** Records mode: the JSON Schema draft, the record's pointer, and draws that failed the check and were drawn again. */
  records?: Record<string, string | number>
  /** A schema fitted under differential privacy (goldgen fit): how, from what source, at what cost. */
  privacy?: Record<string, unknown>
}
