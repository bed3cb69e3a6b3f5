// Formats a written schema file with Biome (the wasm build, configured by biome.json), so the
// written files pass `npm run lint` as they are; shared by write-db-schema.mjs and its test.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Biome } from '@biomejs/js-api/nodejs'

const root = fileURLToPath(new URL('..', import.meta.url))
let project

export function formatSchemaSource(source, filePath) {
  if (!project) {
    const {
      $schema: _,
      files: __,
      ...configuration
    } = JSON.parse(readFileSync(join(root, 'biome.json'), 'utf8'))
    const biome = new Biome()
    const { projectKey } = biome.openProject(root)
    biome.applyConfiguration(projectKey, configuration)
    project = { biome, projectKey }
  }
  return project.biome.formatContent(project.projectKey, source, { filePath }).content
}
