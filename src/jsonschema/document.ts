/**
 * A JSON Schema document as goldgen reads it: its draft (from `$schema`, default 2020-12), an
 * ajv validator for that draft (with the standard formats), local `$ref` resolution (JSON
 * pointers, `$defs`/`definitions`, anchors, the root's own `$id`), and the JSON pointer of every
 * subschema, so that any part of the document can be checked on its own.
 *
 * `openSchemaDocument` is ~135 lines on purpose: it walks the document twice inside one closure
 * (every anchor and `$id` must be known before any `$ref` is checked), sharing the pointer maps.
 */

import { createRequire } from 'node:module'
import type { ValidateFunction } from 'ajv'
import type Ajv2020 from 'ajv/dist/2020.js'
import { GoldgenError } from '../core/errors.ts'
import { isObject, type JsonObject } from '../core/json.ts'
import { compileLinear } from '../core/regex.ts'
import { sizeProblem } from './limits.ts'
import { normalizeUri, ROOT_ID, refTarget } from './refs.ts'

export { isObject, type JsonObject, jsonTypeOf } from '../core/json.ts'

export type Draft = '04' | '06' | '07' | '2019-09' | '2020-12'
export const drafts: readonly Draft[] = ['04', '06', '07', '2019-09', '2020-12']
export const DEFAULT_DRAFT: Draft = '2020-12'

/** A schema node: an object or a boolean schema. */
export type Node = boolean | JsonObject

const SYNTHETIC_ID = ROOT_ID

/** The draft a `$schema` URI names; undefined for a URI goldgen does not know. */
export function draftOf(uri: unknown): Draft | undefined {
  if (uri === undefined) return DEFAULT_DRAFT
  if (typeof uri !== 'string') return undefined
  const m = /json-schema\.org\/(?:draft-0?(\d)|draft\/(\d{4}-\d{2}))\/schema#?$/.exec(uri.trim())
  if (m === null) return undefined
  const d = m[1] !== undefined ? `0${m[1]}` : m[2]!
  return (drafts as readonly string[]).includes(d) ? (d as Draft) : undefined
}

// ajv and its plugins are CommonJS, loaded on first use (schemas with `columns` never need them).
const esmRequire = createRequire(import.meta.url)
type AjvClass = typeof Ajv2020.default
type AjvInstance = InstanceType<AjvClass>
const load = (id: string): AjvClass => {
  const m = esmRequire(id) as { default?: AjvClass }
  return m.default ?? (m as unknown as AjvClass)
}

/** ajv's regular-expression engine, RE2 semantics; a pattern RE2 cannot express is refused. */
const linearRegExp = Object.assign(
  (pattern: string) => {
    const re = compileLinear(pattern)
    if ('error' in re) throw new Error(`the pattern ${JSON.stringify(pattern)}: ${re.error}`)
    return re
  },
  { code: 'compileLinear' },
)

/**
 * One ajv per draft that only checks schemas against the draft's meta-schema, kept for the
 * process: compiling a meta-schema costs far more than most documents (0.3–1 s), and each
 * document's own ajv (which compiles the document) then skips the check.
 */
const metaCheckers = new Map<Draft, AjvInstance>()
function metaChecker(draft: Draft): AjvInstance {
  let ajv = metaCheckers.get(draft)
  if (ajv === undefined) {
    ajv = createAjv(draft, true)
    metaCheckers.set(draft, ajv)
  }
  return ajv
}

function createAjv(draft: Draft, validateSchema: boolean): AjvInstance {
  const options = {
    validateSchema,
    strict: false,
    logger: false,
    allErrors: false,
    validateFormats: true,
    ownProperties: true,
    // Patterns are matched in linear time: a backtracking engine could hang on a hostile one.
    code: { regExp: linearRegExp },
  } as const
  let ajv: AjvInstance
  switch (draft) {
    case '04':
      ajv = new (load('ajv-draft-04'))(options)
      break
    case '06':
    case '07': {
      ajv = new (load('ajv'))(options)
      if (draft === '06') ajv.addMetaSchema(draft06Meta())
      break
    }
    case '2019-09':
      ajv = new (load('ajv/dist/2019.js'))(options)
      break
    case '2020-12':
      ajv = new (load('ajv/dist/2020.js'))(options)
      break
  }
  ;(load('ajv-formats') as unknown as (a: AjvInstance) => void)(ajv)
  return ajv
}

function draft06Meta(): object {
  // ajv ships the draft-06 meta-schema as a JSON file next to its draft-07 one.
  return esmRequire('ajv/dist/refs/json-schema-draft-06.json') as object
}

export interface SchemaDocument {
  root: Node
  draft: Draft
  /** Where the document came from, for messages. */
  file: string | undefined
  /**
   * The JSON pointer of a subschema object of this document (by identity); for a subschema of a
   * referenced document, its URI, `#`, and the pointer inside it.
   */
  pointerOf(node: object): string | undefined
  /** Resolves a `$ref` found at `at` (a location from `pointerOf`). */
  resolve(ref: string, at: string): Node
  /** A validator for the whole document. */
  validate: ValidateFunction
  /** A validator for the subschema at a JSON pointer of this document. */
  validatorAt(pointer: string): ValidateFunction
}

/** Escapes one JSON pointer token. */
export const pointerToken = (s: string | number): string =>
  String(s).replaceAll('~', '~0').replaceAll('/', '~1')

/** Walks every subschema position the drafts define, calling `visit(node, pointer)`. */
export function walkSchemas(root: Node, visit: (node: JsonObject, pointer: string) => void): void {
  const seen = new Set<object>()
  const walk = (node: unknown, pointer: string) => {
    if (!isObject(node) || seen.has(node)) return
    seen.add(node)
    visit(node, pointer)
    for (const key of ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']) {
      const map = node[key]
      if (isObject(map))
        for (const k of Object.keys(map)) walk(map[k], `${pointer}/${key}/${pointerToken(k)}`)
    }
    if (isObject(node.dependencies)) {
      for (const k of Object.keys(node.dependencies))
        walk(node.dependencies[k], `${pointer}/dependencies/${pointerToken(k)}`)
    }
    for (const key of ['allOf', 'anyOf', 'oneOf', 'prefixItems']) {
      const list = node[key]
      if (Array.isArray(list))
        list.forEach((s, i) => {
          walk(s, `${pointer}/${key}/${i}`)
        })
    }
    if (Array.isArray(node.items)) {
      node.items.forEach((s, i) => {
        walk(s, `${pointer}/items/${i}`)
      })
    }
    for (const key of [
      'items',
      'additionalItems',
      'additionalProperties',
      'unevaluatedProperties',
      'unevaluatedItems',
      'contains',
      'propertyNames',
      'not',
      'if',
      'then',
      'else',
    ]) {
      if (!Array.isArray(node[key])) walk(node[key], `${pointer}/${key}`)
    }
  }
  walk(root, '')
}

function decodePointer(pointer: string): string[] {
  if (pointer === '') return []
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replaceAll('~1', '/').replaceAll('~0', '~'))
}

/** The value at a JSON pointer (already percent-decoded), or undefined. */
export function atPointer(root: unknown, pointer: string): unknown {
  let node = root
  for (const token of decodePointer(pointer)) {
    if (Array.isArray(node)) node = node[Number(token)]
    else if (isObject(node) && Object.hasOwn(node, token)) node = node[token]
    else return undefined
  }
  return node
}

/** The base URI of the root document: its own absolute `$id`, else the synthetic one. */
export function rootBaseOf(root: unknown): string {
  const d = draftOf(isObject(root) ? root.$schema : undefined) ?? DEFAULT_DRAFT
  const idKey = d === '04' ? 'id' : '$id'
  const ownId =
    isObject(root) && typeof root[idKey] === 'string' ? (root[idKey] as string).replace(/#$/, '') : ''
  return ownId !== '' && /^[a-z][a-z0-9+.-]*:/i.test(ownId) ? normalizeUri(ownId) : SYNTHETIC_ID
}

/**
 * Reads a parsed JSON Schema, with the documents it refers to (`refs`, by URI; see refs.ts).
 * Throws GoldgenError SCHEMA_INVALID naming the file and the JSON pointer when the document is
 * not a valid schema of its draft.
 */
export function openSchemaDocument(
  root: unknown,
  file?: string,
  refs: Readonly<Record<string, unknown>> = {},
): SchemaDocument {
  const fail = (message: string, at = ''): never => {
    const hash = at.indexOf('#')
    const pointer = hash < 0 ? at : at.slice(hash + 1)
    throw new GoldgenError('SCHEMA_INVALID', 'invalid JSON Schema', {
      file,
      issues: [{ code: 'invalid_json_schema', path: decodePointer(pointer), message: `#${at}: ${message}` }],
    })
  }
  if (typeof root !== 'boolean' && !isObject(root)) fail('expected a JSON Schema object or boolean')
  const draft = draftOf(isObject(root) ? root.$schema : undefined)
  if (draft === undefined) {
    fail(
      `$schema ${JSON.stringify((root as JsonObject).$schema)} is not a draft goldgen knows; expected draft-04, -06, -07, 2019-09 or 2020-12`,
      '/$schema',
    )
  }
  const d = draft as Draft
  const idKey = d === '04' ? 'id' : '$id'
  const ownId =
    isObject(root) && typeof root[idKey] === 'string' ? (root[idKey] as string).replace(/#$/, '') : ''
  const rootId = rootBaseOf(root)
  const pointers = new WeakMap<object, string>()
  // Each document (the root, then every referenced one) with its anchors.
  const documents = new Map<string, { root: unknown; anchors: Map<string, JsonObject> }>()
  const index = (uri: string, doc: unknown, prefix: string) => {
    const anchors = new Map<string, JsonObject>()
    walkSchemas(doc as Node, (node, pointer) => {
      pointers.set(node, `${prefix}${pointer}`)
      if (typeof node.$anchor === 'string') anchors.set(node.$anchor, node)
      const id = node[idKey]
      if (typeof id === 'string' && id.startsWith('#') && id.length > 1) anchors.set(id.slice(1), node)
    })
    documents.set(uri, { root: doc, anchors })
  }
  index(rootId, root, '')
  for (const [uri, doc] of Object.entries(refs)) index(uri, doc, `${uri}#`)
  const resolve = (ref: string, at: string): Node => {
    const atHash = at.indexOf('#')
    const base = atHash < 0 ? rootId : at.slice(0, atHash)
    let fragment: string
    let uri = base
    if (ref.startsWith('#')) fragment = ref.slice(1)
    else {
      const hash = ref.indexOf('#')
      const target = hash < 0 ? ref : ref.slice(0, hash)
      uri = target === ownId ? rootId : refTarget(target, base)
      if (!documents.has(uri)) {
        fail(
          `$ref ${JSON.stringify(ref)} is not in this document; give the documents it refers to with --refs DIR or --ref FILE`,
          `${at}/$ref`,
        )
      }
      fragment = hash < 0 ? '' : ref.slice(hash + 1)
    }
    const { root: docRoot, anchors } = documents.get(uri)!
    let decoded: string
    try {
      decoded = decodeURIComponent(fragment)
    } catch {
      return fail(`$ref ${JSON.stringify(ref)} is not a valid URI fragment`, `${at}/$ref`)
    }
    const target =
      decoded === '' || decoded.startsWith('/') ? atPointer(docRoot, decoded) : anchors.get(decoded)
    if (typeof target !== 'boolean' && !isObject(target)) {
      return fail(`$ref ${JSON.stringify(ref)} cannot be resolved: nothing is at that location`, `${at}/$ref`)
    }
    return target
  }
  // Every local $ref must resolve, whether or not generation reaches it.
  walkSchemas(root as Node, (node, pointer) => {
    const tooMuch = sizeProblem(node, pointer)
    if (tooMuch !== undefined) fail(tooMuch, pointer)
    if (typeof node.$ref === 'string') resolve(node.$ref, pointer)
  })
  for (const [uri, doc] of Object.entries(refs)) {
    walkSchemas(doc as Node, (node, pointer) => {
      if (typeof node.$ref === 'string') resolve(node.$ref, `${uri}#${pointer}`)
    })
  }
  const ajv = createAjv(d, false)
  const meta = metaChecker(d)
  let errors: { instancePath: string; message?: string }[] = []
  const check = (schema: object) => {
    if (meta.validateSchema(schema) === true) return
    errors = (meta.errors ?? []) as typeof errors
    throw new Error(meta.errorsText(meta.errors))
  }
  const registered = isObject(root) ? { ...root, [idKey]: rootId } : { allOf: [root], [idKey]: rootId }
  try {
    // The referenced documents under the URIs their references resolve to, then the root.
    for (const [uri, doc] of Object.entries(refs)) {
      const { $schema: _, ...body } = doc as JsonObject
      const schema = { ...body, [idKey]: uri }
      check(schema)
      ajv.addSchema(schema)
    }
    check(registered)
    ajv.addSchema(registered)
  } catch (e) {
    if (errors.length === 0) errors = (ajv.errors ?? []) as typeof errors
    const first = errors[0]
    if (first !== undefined)
      fail(`${first.message ?? 'invalid'} (checked against the draft ${d} meta-schema)`, first.instancePath)
    fail((e as Error).message)
  }
  let validate: ValidateFunction
  try {
    validate = ajv.getSchema(rootId)!
  } catch (e) {
    const message = (e as Error).message
    const missing = /can't resolve reference (\S+) from id/.exec(message)
    fail(
      missing !== null
        ? `$ref ${missing[1]} cannot be resolved; give the documents it refers to with --refs DIR or --ref FILE`
        : message,
    )
  }
  const validators = new Map<string, ValidateFunction>()
  return {
    root: root as Node,
    draft: d,
    file,
    pointerOf: (node) => pointers.get(node),
    resolve,
    validate: validate!,
    validatorAt(pointer) {
      let v = validators.get(pointer)
      if (v === undefined) {
        const hash = pointer.indexOf('#')
        v =
          hash < 0
            ? ajv.getSchema(`${rootId}#${encodeURI(pointer)}`)
            : ajv.getSchema(`${pointer.slice(0, hash)}#${encodeURI(pointer.slice(hash + 1))}`)
        if (v === undefined) throw new Error(`no subschema at #${pointer}`)
        validators.set(pointer, v)
      }
      return v
    },
  }
}

/** ajv's first error, as one line naming the instance location. */
export function describeErrors(validate: ValidateFunction): string {
  const e = validate.errors?.[0]
  if (e === undefined) return 'invalid'
  return `${e.instancePath === '' ? 'the record' : e.instancePath}: ${e.message ?? 'invalid'} (${e.schemaPath})`
}
