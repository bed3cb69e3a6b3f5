/** Loading dataset schemas and other input files, with file-system errors turned into clear messages. */
import { parseSchemaText } from '../../schemas/parse.ts'
import { readTextFile } from '../core/files.ts'
import { importJsonSchema, looksLikeJsonSchema, parseJsonText } from '../jsonschema/import.ts'
import { loadRefLibrary } from '../jsonschema/refs.ts'
import { refuseBinaryData, refuseTextData } from './data-as-schema.ts'
import type { SchemaSource } from './generate.ts'

export interface LoadOptions {
  /** Folders of JSON Schema documents a JSON Schema may refer to (`--refs DIR`). */
  refs?: readonly string[] | undefined
  /** Single such documents (`--ref FILE`). */
  ref?: readonly string[] | undefined
}

/**
 * Reads and validates a dataset schema (YAML or JSON). A `.json` file that is a JSON Schema
 * rather than a goldgen schema is imported as records (`goldgen import`), its warnings kept.
 */
export function loadSchema(file: string, options: LoadOptions = {}): SchemaSource {
  refuseBinaryData(file)
  const text = readTextFile(file)
  refuseTextData(file, text)
  if (file.toLowerCase().endsWith('.json')) {
    const doc = parseJsonText(text, file)
    if (looksLikeJsonSchema(doc)) {
      const refs =
        options.refs !== undefined || options.ref !== undefined
          ? loadRefLibrary(parseJsonText, options.refs, options.ref)
          : undefined
      const { def, warnings } = importJsonSchema(doc, file, { refs })
      return { def, file, warnings: warnings.map((w) => `${w.pointer}: ${w.message}`) }
    }
  }
  const { def, locate } = parseSchemaText(text, file)
  return { def, file, locate }
}
