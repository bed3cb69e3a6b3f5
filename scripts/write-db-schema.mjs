#!/usr/bin/env node
// Writes registry/sqlite/schema.ts and registry/postgres/schema.ts from the one schema module
// (registry/schema/tables.ts, through dist/registry/schema/emit.js: run `npm run build` first;
// `npm run db:generate` does both, then drizzle-kit writes each dialect's migrations).
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { emitSchema } from '../dist/registry/schema/emit.js'
import { formatSchemaSource } from './format-schema.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))
for (const dialect of ['sqlite', 'postgres']) {
  const file = join(root, 'registry', dialect, 'schema.ts')
  writeFileSync(file, formatSchemaSource(emitSchema(dialect), file))
  console.log(`wrote ${file}`)
}
