/**
 * `goldgen import`: a JSON Schema (draft 04, 06, 07, 2019-09 or 2020-12) becomes a goldgen
 * schema in records mode, with a warning for every keyword goldgen does not honour.
 */
import { basename } from 'node:path'
import { stringify } from 'yaml'
import type { DatasetDef } from '../../schemas/language.ts'
import { GoldgenError, type Issue } from '../core/errors.ts'
import { readTextFile } from '../core/files.ts'
import { shapeTypeName } from '../core/shape.ts'
import { atPointer, type JsonObject, openSchemaDocument, rootBaseOf, walkSchemas } from './document.ts'
import { collectRefs, type RefLibrary } from './refs.ts'
import { recordColumns } from './shape.ts'
import { formats } from './string-formats.ts'

/** Keywords that shape generated values (the sampler reads them; ajv checks every record against all of them). */
const HONOURED = new Set([
  '$schema',
  '$id',
  'id',
  '$ref',
  '$defs',
  'definitions',
  '$anchor',
  '$dynamicAnchor',
  '$dynamicRef',
  '$recursiveAnchor',
  '$recursiveRef',
  '$vocabulary',
  '$comment',
  'type',
  'enum',
  'const',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minLength',
  'maxLength',
  'pattern',
  'format',
  'items',
  'prefixItems',
  'additionalItems',
  'minItems',
  'maxItems',
  'uniqueItems',
  'contains',
  'minContains',
  'maxContains',
  'unevaluatedItems',
  'properties',
  'patternProperties',
  'additionalProperties',
  'unevaluatedProperties',
  'required',
  'dependentRequired',
  'dependentSchemas',
  'dependencies',
  'minProperties',
  'maxProperties',
  'propertyNames',
  'allOf',
  'anyOf',
  'oneOf',
  'not',
  'if',
  'then',
  'else',
])
/** Annotations: they describe, they do not constrain. */
const ANNOTATIONS = new Set([
  'title',
  'description',
  'default',
  'examples',
  'example',
  'deprecated',
  'readOnly',
  'writeOnly',
  'readonly',
  'contentEncoding',
  'contentMediaType',
  'contentSchema',
  'nullable',
  'discriminator',
  'xml',
  'externalDocs',
])

export interface ImportWarning {
  /** JSON pointer of the keyword. */
  pointer: string
  keyword: string
  message: string
}

export interface ImportResult {
  def: DatasetDef
  warnings: ImportWarning[]
  /** The goldgen schema as commented YAML. */
  yaml: string
}

export interface ImportOptions {
  /** The subschema one record follows, as a JSON pointer fragment (`#/$defs/Order`). */
  pointer?: string | undefined
  /** Dataset name; default from the schema's title or the file name. */
  name?: string | undefined
  rows?: number | undefined
  /** Documents the schema may refer to (`--refs DIR`, `--ref FILE`); the ones it uses go into `records.refs`. */
  refs?: RefLibrary | undefined
}

/** Parses JSON text, reporting a syntax error with its line and column. */
export function parseJsonText(text: string, file: string): unknown {
  try {
    return JSON.parse(text)
  } catch (e) {
    const message = (e as Error).message
    const at = /position (\d+)/.exec(message)
    const issue: Issue = {
      code: 'syntax',
      path: [],
      message: message.replace(/ in JSON at position \d+.*$/, ''),
    }
    if (at !== null) {
      const before = text.slice(0, Number(at[1]))
      issue.line = before.split('\n').length
      issue.column = before.length - before.lastIndexOf('\n')
    }
    throw new GoldgenError('PARSE', 'not valid JSON', { file, issues: [issue] })
  }
}

/** Whether a parsed document looks like a JSON Schema rather than a goldgen schema. */
export function looksLikeJsonSchema(doc: unknown): boolean {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return false
  const o = doc as JsonObject
  if (Object.hasOwn(o, 'goldgen')) return false
  return ['$schema', 'properties', 'type', '$defs', 'definitions', 'allOf', 'anyOf', 'oneOf', '$ref'].some(
    (k) => Object.hasOwn(o, k),
  )
}

/** `text` as a dataset name (lowercase letters, digits, `.`, `_`, `-`), or undefined when nothing is left. */
export function datasetName(text: string): string | undefined {
  const out = text
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+|-+$/g, '')
  return out === '' ? undefined : out
}

/** Imports a parsed JSON Schema. Throws GoldgenError with the file and JSON pointer on bad input. */
export function importJsonSchema(schema: unknown, file: string, options: ImportOptions = {}): ImportResult {
  const refs = collectRefs(schema, rootBaseOf(schema), options.refs, file, (d, visit) =>
    walkSchemas(d as JsonObject, visit),
  )
  const doc = openSchemaDocument(schema, file, refs)
  const pointer = options.pointer ?? '#'
  if (!/^#(\/.*)?$/.test(pointer)) {
    throw new GoldgenError(
      'USAGE',
      `--pointer must be a JSON pointer fragment such as '#/$defs/Order', got ${JSON.stringify(pointer)}`,
    )
  }
  let node = doc.root
  if (pointer !== '#') {
    const target = atPointer(doc.root, decodeURIComponent(pointer.slice(1)))
    if (
      typeof target !== 'boolean' &&
      (typeof target !== 'object' || target === null || Array.isArray(target))
    ) {
      throw new GoldgenError('NOT_FOUND', `no schema at ${pointer}`, { file })
    }
    node = target as JsonObject
  }
  const columns = recordColumns(doc, node)
  const warnings: ImportWarning[] = []
  walkSchemas(doc.root, (s, at) => {
    for (const keyword of Object.keys(s)) {
      if (HONOURED.has(keyword) || ANNOTATIONS.has(keyword)) continue
      warnings.push({
        pointer: `#${at}/${keyword}`,
        keyword,
        message: `${keyword} is not a JSON Schema keyword goldgen knows; ignored (values follow the rest of the schema)`,
      })
    }
    if (typeof s.format === 'string' && formats[s.format] === undefined) {
      warnings.push({
        pointer: `#${at}/format`,
        keyword: 'format',
        message: `format ${JSON.stringify(s.format)} is not one goldgen generates; values are plain strings`,
      })
    }
  })
  const title =
    typeof (node as JsonObject).title === 'string' ? ((node as JsonObject).title as string) : undefined
  const name =
    options.name ?? datasetName(title ?? basename(file).replace(/\.(schema\.)?json$/i, '')) ?? 'records'
  const def: DatasetDef = {
    goldgen: 1,
    name,
    ...(options.rows !== undefined ? { rows: options.rows } : {}),
    records: {
      json_schema: schema,
      ...(pointer !== '#' ? { pointer } : {}),
      ...(Object.keys(refs).length > 0 ? { refs } : {}),
    },
  }
  const header = [
    `goldgen schema imported from ${basename(file)} (JSON Schema draft ${doc.draft}) by goldgen import.`,
    'Each row is a record generated from the JSON Schema below and checked against it;',
    'each property is a column:',
    ...columns.map((c) => `  ${c.name}: ${shapeTypeName(c.shape)}`),
    ...(Object.keys(refs).length > 0
      ? ['', 'Documents it refers to, kept under records.refs:', ...Object.keys(refs).map((u) => `  ${u}`)]
      : []),
    ...(warnings.length > 0
      ? ['', 'Not honoured:', ...warnings.map((w) => `  ${w.pointer}: ${w.message}`)]
      : []),
  ]
  const yaml = `${header.map((l) => (l === '' ? '#' : `# ${l}`)).join('\n')}\n${stringify(def, { lineWidth: 0 })}`
  return { def, warnings, yaml }
}

/** Reads and imports a JSON Schema file. */
export function importJsonSchemaFile(file: string, options: ImportOptions = {}): ImportResult {
  return importJsonSchema(parseJsonText(readTextFile(file), file), file, options)
}
