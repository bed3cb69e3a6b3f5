/**
 * Other JSON Schema documents a schema refers to, resolved offline: `goldgen import --refs DIR`
 * (every .json file under DIR) and `--ref FILE` (repeatable) make a library of documents, each
 * known by its `$id` (or `id` in draft 04) and by its path; every `$ref` that leaves the
 * document is made absolute against the referring document's base and looked up there.
 *
 * The documents a schema uses travel with it: `records.refs` maps each one's URI (what the
 * `$ref`s resolve to) to the document, so a recipe regenerates the same records anywhere.
 * A document without an absolute `$id` has the base `https://goldgen.invalid/<its path>`
 * (the path relative to DIR, or the file name for --ref), as the root document has
 * `https://goldgen.invalid/root.schema.json`: relative references between files then resolve
 * as they do on disk.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { basename, join, relative, sep } from 'node:path'
import { GoldgenError } from '../core/errors.ts'
import { isObject, type JsonObject } from '../core/json.ts'

/** The base of documents without an absolute `$id`. */
export const REF_BASE = 'https://goldgen.invalid/'
export const ROOT_ID = `${REF_BASE}root.schema.json`

/** A URI without its fragment, normalized (lowercase scheme and host, resolved dot segments). */
export function normalizeUri(uri: string): string {
  const hash = uri.indexOf('#')
  const base = hash < 0 ? uri : uri.slice(0, hash)
  try {
    return new URL(base).href
  } catch {
    return base
  }
}

/** The absolute URI (no fragment) a `$ref` names, read against `base`. */
export function refTarget(ref: string, base: string): string {
  const hash = ref.indexOf('#')
  const part = hash < 0 ? ref : ref.slice(0, hash)
  try {
    return new URL(part, base).href
  } catch {
    return part
  }
}

/** A document's own absolute `$id` (normalized), if it has one. */
export function ownAbsoluteId(doc: unknown, idKey: '$id' | 'id'): string | undefined {
  if (!isObject(doc) || typeof doc[idKey] !== 'string') return undefined
  const id = (doc[idKey] as string).replace(/#$/, '')
  return /^[a-z][a-z0-9+.-]*:/i.test(id) ? normalizeUri(id) : undefined
}

interface LibraryEntry {
  doc: JsonObject
  file: string
  /** Absolute `$id`, when the document has one. */
  id: string | undefined
  /** `https://goldgen.invalid/<path>` of the file. */
  alias: string
}

/** Reference documents by `$id` and by path. */
export interface RefLibrary {
  entries: LibraryEntry[]
  /** Where the documents came from, for messages. */
  sources: string[]
}

const idOf = (doc: JsonObject) => ownAbsoluteId(doc, '$id') ?? ownAbsoluteId(doc, 'id')

function jsonFilesUnder(dir: string): string[] {
  let stat: ReturnType<typeof statSync>
  try {
    stat = statSync(dir)
  } catch {
    throw new GoldgenError('NOT_FOUND', `--refs ${dir}: no such folder`)
  }
  if (!stat.isDirectory())
    throw new GoldgenError('USAGE', `--refs ${dir}: expected a folder of JSON Schema files`)
  const out: string[] = []
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = join(d, e.name)
      if (e.isDirectory() && !e.name.startsWith('.') && e.name !== 'node_modules') walk(path)
      else if (e.isFile() && e.name.toLowerCase().endsWith('.json')) out.push(path)
    }
  }
  walk(dir)
  return out
}

/** Reads the documents of `--refs DIR` and `--ref FILE`. */
export function loadRefLibrary(
  parseJson: (text: string, file: string) => unknown,
  dirs: readonly string[] = [],
  files: readonly string[] = [],
): RefLibrary {
  const entries: LibraryEntry[] = []
  const add = (file: string, alias: string) => {
    let text: string
    try {
      text = readFileSync(file, 'utf8')
    } catch {
      throw new GoldgenError('NOT_FOUND', `--ref ${file}: cannot read the file`, { file })
    }
    const doc = parseJson(text, file)
    if (!isObject(doc)) return // not a schema document (a boolean or data): never a $ref target by id
    const id = idOf(doc)
    const twin = id === undefined ? undefined : entries.find((e) => e.id === id)
    if (twin !== undefined && twin.file !== file) {
      throw new GoldgenError('USAGE', `two reference documents have the $id ${id}: ${twin.file} and ${file}`)
    }
    entries.push({ doc, file, id, alias: `${REF_BASE}${alias.split(sep).map(encodeURIComponent).join('/')}` })
  }
  for (const dir of dirs) for (const file of jsonFilesUnder(dir)) add(file, relative(dir, file))
  for (const file of files) add(file, basename(file))
  return { entries, sources: [...dirs.map((d) => `--refs ${d}`), ...files.map((f) => `--ref ${f}`)] }
}

/** The document a target URI names: by `$id`, then by path, then (documents without `$id`) by file name. */
function lookup(library: RefLibrary, target: string): LibraryEntry | undefined {
  const byId = library.entries.find((e) => e.id === target)
  if (byId !== undefined) return byId
  const byPath = library.entries.find((e) => e.alias === target)
  if (byPath !== undefined) return byPath
  const name = decodeURIComponent(target.split('/').at(-1) ?? '')
  const byName = library.entries.filter((e) => e.id === undefined && basename(e.file) === name)
  return byName.length === 1 ? byName[0] : undefined
}

/**
 * The documents `root` refers to outside itself, transitively, keyed by the URI its references
 * resolve to. Throws GoldgenError naming the first reference no document resolves.
 */
export function collectRefs(
  root: unknown,
  rootBase: string,
  library: RefLibrary | undefined,
  file: string | undefined,
  walk: (doc: unknown, visit: (node: JsonObject, pointer: string) => void) => void,
): Record<string, JsonObject> {
  const used: Record<string, JsonObject> = {}
  const visit = (doc: unknown, base: string, docFile: string | undefined) => {
    walk(doc, (node, pointer) => {
      if (typeof node.$ref !== 'string' || node.$ref.startsWith('#')) return
      const target = refTarget(node.$ref, base)
      if (target === base || target === rootBase || used[target] !== undefined) return
      const found = library === undefined ? undefined : lookup(library, target)
      if (found === undefined) {
        const given =
          library === undefined || library.sources.length === 0
            ? 'give the documents it refers to with --refs DIR or --ref FILE'
            : `none of the reference documents (${library.sources.join(', ')}) has the $id or path ${target}`
        throw new GoldgenError('SCHEMA_INVALID', 'unresolved JSON Schema reference', {
          file: docFile,
          issues: [
            {
              code: 'unresolved_ref',
              path: pointer === '' ? ['$ref'] : [...pointer.slice(1).split('/'), '$ref'],
              message: `#${pointer}/$ref: $ref ${JSON.stringify(node.$ref)} is not in this document; ${given}`,
            },
          ],
        })
      }
      used[target] = found.doc
      visit(found.doc, target, found.file)
    })
  }
  visit(root, rootBase, file)
  return used
}
