/**
 * JSON Schema at the front door: `import` (a JSON Schema → a goldgen records schema, with the
 * columns its rows will have) and `export-jsonschema` (the JSON Schema generated JSONL rows follow).
 */
import { shapeTypeName } from '../core/shape.ts'
import { exportJsonSchema } from '../jsonschema/export.ts'
import {
  type ImportOptions,
  type ImportResult,
  importJsonSchemaFile,
  parseJsonText,
} from '../jsonschema/import.ts'
import { planRecords } from '../jsonschema/records.ts'
import { loadRefLibrary } from '../jsonschema/refs.ts'
import { loadSchema } from './load-schema.ts'

export type { ImportOptions, ImportWarning } from '../jsonschema/import.ts'

export interface JsonSchemaImport extends ImportResult {
  /** The record columns, each with its Arrow type's name. */
  columns: { name: string; arrowType: string }[]
}

/** Where the documents a JSON Schema's `$ref`s name are found: folders and single files. */
export interface RefSources {
  refs?: readonly string[] | undefined
  ref?: readonly string[] | undefined
}

/** Imports a JSON Schema file and plans its records (so an unusable schema fails here). */
export function importJsonSchemaAsRecords(
  file: string,
  options: Omit<ImportOptions, 'refs'> & RefSources = {},
): JsonSchemaImport {
  const { refs: dirs, ref: files, ...rest } = options
  const refs =
    dirs !== undefined || files !== undefined ? loadRefLibrary(parseJsonText, dirs, files) : undefined
  const result = importJsonSchemaFile(file, { ...rest, refs })
  const columns = planRecords(result.def, file).columns.map((c) => ({
    name: c.name,
    arrowType: shapeTypeName(c.shape),
  }))
  return { ...result, columns }
}

/** The JSON Schema (draft 2020-12) every generated JSONL row of a goldgen schema file validates against. */
export function exportJsonSchemaOf(schemaFile: string): unknown {
  return exportJsonSchema(loadSchema(schemaFile).def)
}
