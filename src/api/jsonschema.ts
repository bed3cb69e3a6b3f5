/**
 * JSON Schema at the front door: `import` (a JSON Schema → a goldgen records schema, with the
 * columns its rows will have) and `export-jsonschema` (the JSON Schema generated JSONL rows follow).
 */
import { shapeTypeName } from '../core/shape.ts'
import { exportJsonSchema } from '../jsonschema/export.ts'
import { type ImportOptions, type ImportResult, importJsonSchemaFile } from '../jsonschema/import.ts'
import { planRecords } from '../jsonschema/records.ts'
import { loadSchema } from './load-schema.ts'

export type { ImportOptions, ImportWarning } from '../jsonschema/import.ts'

export interface JsonSchemaImport extends ImportResult {
  /** The record columns, each with its Arrow type's name. */
  columns: { name: string; arrowType: string }[]
}

/** Imports a JSON Schema file and plans its records (so an unusable schema fails here). */
export function importJsonSchemaAsRecords(file: string, options: ImportOptions = {}): JsonSchemaImport {
  const result = importJsonSchemaFile(file, options)
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
