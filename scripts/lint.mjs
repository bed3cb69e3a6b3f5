#!/usr/bin/env node
// Lint and format check with Biome's WebAssembly build (@biomejs/js-api), configured by biome.json.
// We use the wasm build rather than the @biomejs/biome CLI because the CLI ships per-platform
// binaries as optional packages, and a lockfile that lacks any of them makes `npm ci` refuse it.
//   node scripts/lint.mjs          check: exit 1 on lint errors or unformatted files
//   node scripts/lint.mjs --write  apply safe fixes and format in place
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Biome } from '@biomejs/js-api/nodejs'

const root = fileURLToPath(new URL('..', import.meta.url))
const write = process.argv.includes('--write')
const folders = ['src', 'generators', 'registry', 'schemas', 'test', 'bench', 'scripts']
const skip = new Set(['node_modules', 'dist', 'golden'])

function* files(dir) {
  let entries
  try {
    entries = readdirSync(dir, { withFileTypes: true })
  } catch {
    return
  }
  for (const e of entries) {
    if (skip.has(e.name)) continue
    const path = join(dir, e.name)
    if (e.isDirectory()) yield* files(path)
    else if (/\.(ts|mts|js|mjs)$/.test(e.name)) yield path
  }
}

const { $schema: _, files: __, ...configuration } = JSON.parse(readFileSync(join(root, 'biome.json'), 'utf8'))
const biome = new Biome()
const { projectKey } = biome.openProject(root)
biome.applyConfiguration(projectKey, configuration)

/** `file:line:column severity category: message (advice)` — one line per diagnostic. */
function describe(d, filePath, source) {
  let at = ''
  if (d.location?.span) {
    // Spans are UTF-8 byte offsets.
    const before = Buffer.from(source).subarray(0, d.location.span[0]).toString('utf8').split('\n')
    at = `:${before.length}:${before.at(-1).length + 1}`
  }
  const text = (parts) => parts.map((p) => p.content).join('')
  const advice = (d.advices?.advices ?? []).flatMap((a) => (a.log ? [text(a.log[1])] : [])).join(' ')
  return `${filePath}${at} ${d.severity} ${d.category}: ${text(d.message)}${advice ? ` (${advice})` : ''}`
}

let errors = 0
let warnings = 0
let unformatted = 0
let checked = 0
const roots = [...folders.map((f) => join(root, f)), root]
for (const base of roots) {
  const list =
    base === root
      ? readdirSync(root)
          .filter((f) => /\.(ts|mjs|js)$/.test(f))
          .map((f) => join(root, f))
      : [...files(base)]
  for (const file of list) {
    checked++
    const filePath = relative(root, file)
    let content = readFileSync(file, 'utf8')
    const lint = biome.lintContent(projectKey, content, {
      filePath,
      ...(write ? { fixFileMode: 'safeFixes' } : {}),
    })
    if (write) content = lint.content
    const formatted = biome.formatContent(projectKey, content, { filePath }).content
    if (write && formatted !== readFileSync(file, 'utf8')) writeFileSync(file, formatted)
    else if (!write && formatted !== content) {
      unformatted++
      console.error(`${filePath}: not formatted (run npm run lint:fix)`)
    }
    const diagnostics = (write ? biome.lintContent(projectKey, formatted, { filePath }) : lint).diagnostics
    for (const d of diagnostics) {
      if (d.severity === 'error' || d.severity === 'fatal') errors++
      else if (d.severity === 'warning') warnings++
    }
    const source = write ? formatted : content
    for (const d of diagnostics) console.error(describe(d, filePath, source))
  }
}
biome.shutdown()
console.log(`biome: ${checked} files, ${errors} errors, ${warnings} warnings, ${unformatted} unformatted`)
process.exitCode = errors > 0 || unformatted > 0 ? 1 : 0
