/** Loading dataset schemas and other input files, with file-system errors turned into clear messages. */
import { parseSchemaText } from '../../schemas/parse.ts'
import { readTextFile } from '../core/files.ts'
import { importJsonSchema, looksLikeJsonSchema, parseJsonText } from '../jsonschema/import.ts'
import type { SchemaSource } from './generate.ts'

/**
 * Reads and validates a dataset schema (YAML or JSON). A `.json` file that is a JSON Schema
 * rather than a goldgen schema is imported as records (`goldgen import`), its warnings kept.
 */
export function loadSchema(file: string): SchemaSource {
  const text = readTextFile(file)
  if (file.toLowerCase().endsWith('.json')) {
    const doc = parseJsonText(text, file)
    if (looksLikeJsonSchema(doc)) {
      const { def, warnings } = importJsonSchema(doc, file)
      return { def, file, warnings: warnings.map((w) => `${w.pointer}: ${w.message}`) }
    }
  }
  const { def, locate } = parseSchemaText(text, file)
  return { def, file, locate }
}
