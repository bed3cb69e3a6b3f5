/** The manifest written beside every generated file: what was made, from what, and how it came out. */
import type { DatasetDef } from '../schemas/language.ts'
import type { ColumnStats } from './engine/stats.ts'

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
  /** Edge cases injected, by kind, with their row numbers (none in this version). */
  edgeCases: Record<string, number[]>
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
  files: ManifestFile[]
  columns: Record<string, ManifestColumn>
  /** Coverage achieved; null when the schema asks for none. */
  coverage: null
}

export const arrowTypeNames = {
  int32: 'Int32',
  int64: 'Int64',
  float64: 'Float64',
  bool: 'Bool',
  date32: 'Date32',
  timestamp: 'Timestamp(ms, "UTC")',
  dict: 'Dictionary<Int32, Utf8>',
  utf8: 'Utf8',
} as const
