/**
 * The canonical form of a definition: JSON with object keys sorted, except where order means
 * something: `columns` (column order), category `values` (dictionary order) and an imported
 * `json_schema` and the documents it refers to (`records.refs`), kept verbatim (property order
 * is the record's column order).
 * Its SHA-256 is the schema fingerprint recorded in manifests.
 */
import { createHash } from 'node:crypto'
import type { DatasetDef } from './language.ts'

function canonical(value: unknown, keepOrder: boolean, verbatim = false, inRecords = false): unknown {
  if (Array.isArray(value)) return value.map((v) => canonical(v, false, verbatim))
  if (value === null || typeof value !== 'object') return value
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined)
  if (!keepOrder && !verbatim) entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return Object.fromEntries(
    entries.map(([k, v]) => [
      k,
      canonical(
        v,
        k === 'columns' || k === 'values',
        verbatim || k === 'json_schema' || (inRecords && k === 'refs'),
        k === 'records',
      ),
    ]),
  )
}

/** The canonical definition as a plain object. */
export function canonicalDef(def: DatasetDef): DatasetDef {
  return canonical(def, false) as DatasetDef
}

/** Canonical JSON text of a definition (no whitespace). */
export function canonicalJson(def: DatasetDef): string {
  return JSON.stringify(canonicalDef(def))
}

export function schemaSha256(def: DatasetDef): string {
  return createHash('sha256').update(canonicalJson(def)).digest('hex')
}
