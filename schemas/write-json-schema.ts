/** Writes schemas/goldgen.schema.json from the zod definition: `npm run schema:json`. */
import { writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { languageJsonSchema } from './language.ts'

export const JSON_SCHEMA_PATH = fileURLToPath(new URL('../../schemas/goldgen.schema.json', import.meta.url))

export function jsonSchemaText(): string {
  return `${JSON.stringify(languageJsonSchema(), null, 2)}\n`
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(JSON_SCHEMA_PATH, jsonSchemaText())
  console.log(`wrote ${JSON_SCHEMA_PATH}`)
}
