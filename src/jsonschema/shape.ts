/**
 * The columns of records generated from a JSON Schema, and the Arrow type of each: integers as
 * Int64, numbers as Float64, booleans as Bool, strings as Utf8, objects with named properties
 * as Struct, arrays of one item schema as List; anything whose type varies (or is open, like
 * `additionalProperties` maps and tuples) as Utf8 holding JSON text.
 */
import { GoldgenError } from '../core/errors.ts'
import type { Shape } from '../core/shape.ts'
import { isObject, jsonTypeOf, type Node, type SchemaDocument } from './document.ts'
import { MAX_DEPTH } from './sample.ts'

const ANY = 'any' as const

interface Facts {
  types: Set<string> | typeof ANY
  props: Map<string, Node[]>
  items: Node[]
  tuple: boolean
  openKeys: boolean
}

const intersect = (a: Facts['types'], b: Facts['types']): Facts['types'] => {
  if (a === ANY) return b
  if (b === ANY) return a
  const out = new Set<string>()
  for (const t of a) if (b.has(t) || (t === 'integer' && b.has('number'))) out.add(t)
  for (const t of b) if (t === 'integer' && a.has('number')) out.add(t)
  return out
}
const union = (list: Facts['types'][]): Facts['types'] =>
  list.some((t) => t === ANY) ? ANY : new Set(list.flatMap((t) => [...(t as Set<string>)]))

function facts(doc: SchemaDocument, nodes: readonly Node[], refs = 0): Facts {
  const out: Facts = { types: ANY, props: new Map(), items: [], tuple: false, openKeys: false }
  for (const node of nodes) {
    if (node === false) out.types = new Set()
    if (!isObject(node)) continue
    if (typeof node.$ref === 'string' && refs < 32) {
      const target = facts(doc, [doc.resolve(node.$ref, doc.pointerOf(node) ?? '')], refs + 1)
      merge(out, target, true)
      if (doc.draft === '04' || doc.draft === '06' || doc.draft === '07') continue
    }
    if (typeof node.type === 'string' || Array.isArray(node.type)) {
      const types = new Set<string>(typeof node.type === 'string' ? [node.type] : (node.type as string[]))
      out.types = intersect(out.types, types)
    }
    if (Object.hasOwn(node, 'const')) out.types = intersect(out.types, new Set([jsonTypeOf(node.const)]))
    if (Array.isArray(node.enum)) out.types = intersect(out.types, new Set(node.enum.map(jsonTypeOf)))
    if (isObject(node.properties)) {
      for (const k of Object.keys(node.properties)) push(out.props, k, node.properties[k] as Node)
    }
    if (Array.isArray(node.required)) for (const k of node.required as string[]) push(out.props, k)
    for (const key of ['dependentRequired', 'dependencies'] as const) {
      const deps = node[key]
      if (isObject(deps)) {
        for (const [k, v] of Object.entries(deps)) {
          push(out.props, k)
          if (Array.isArray(v)) for (const d of v as string[]) push(out.props, d)
          else merge(out, facts(doc, [v as Node], refs), false)
        }
      }
    }
    if (isObject(node.patternProperties) && Object.keys(node.patternProperties).length > 0)
      out.openKeys = true
    if (typeof node.minProperties === 'number' && node.minProperties > 0) out.openKeys = true
    if (Array.isArray(node.prefixItems) || Array.isArray(node.items)) out.tuple = true
    else if (Object.hasOwn(node, 'items')) out.items.push(node.items as Node)
    if (Object.hasOwn(node, 'contains')) out.items.push(node.contains as Node)
    if (Array.isArray(node.allOf))
      for (const s of node.allOf as Node[]) merge(out, facts(doc, [s], refs), true)
    for (const key of ['anyOf', 'oneOf'] as const) {
      if (!Array.isArray(node[key])) continue
      const branches = (node[key] as Node[]).map((s) => facts(doc, [s], refs))
      for (const b of branches) merge(out, b, false)
      out.types = intersect(out.types, union(branches.map((b) => b.types)))
    }
    for (const key of ['if', 'then', 'else'] as const) {
      if (Object.hasOwn(node, key)) merge(out, facts(doc, [node[key] as Node], refs), false)
    }
  }
  return out
}

/** Adds `from`'s properties and items to `into`; its types too when `types` (allOf, $ref). */
function merge(into: Facts, from: Facts, types: boolean): void {
  if (types) into.types = intersect(into.types, from.types)
  for (const [k, v] of from.props) for (const s of v) push(into.props, k, s)
  for (const [k] of from.props) push(into.props, k)
  into.items.push(...from.items)
  into.tuple ||= from.tuple
  into.openKeys ||= from.openKeys
}

function push(map: Map<string, Node[]>, key: string, value?: Node): void {
  let list = map.get(key)
  if (list === undefined) {
    list = []
    map.set(key, list)
  }
  if (value !== undefined) list.push(value)
}

/**
 * The Arrow shape of a property's values at nesting `depth`. `nodes` are the schemas that name
 * the property (in `properties` of the object, its `allOf` parts and its branches); the values
 * satisfy some of them together. Types come from the schemas that state one, so a branch
 * that only narrows (`then: { properties: { n: { minimum: 1 } } }`) does not turn a typed column
 * into JSON text.
 */
export function shapeOf(doc: SchemaDocument, nodes: readonly Node[], depth: number): Shape {
  const alternatives = nodes.map((n) => facts(doc, [n]))
  const typed = alternatives.filter((a) => a.types !== ANY)
  if (typed.length === 0) return { kind: 'json' }
  const f: Facts = {
    types: union(typed.map((a) => a.types)),
    props: new Map(),
    items: [],
    tuple: false,
    openKeys: false,
  }
  for (const a of alternatives) merge(f, a, false)
  const types = new Set([...(f.types as Set<string>)].filter((t) => t !== 'null'))
  if (types.size === 0) return { kind: 'utf8' }
  const only = (...allowed: string[]) => [...types].every((t) => allowed.includes(t))
  if (only('integer')) return { kind: 'int64' }
  if (only('integer', 'number')) return { kind: 'float64' }
  if (only('boolean')) return { kind: 'bool' }
  if (only('string')) return { kind: 'utf8' }
  if (depth < MAX_DEPTH && only('object') && f.props.size > 0 && !f.openKeys) {
    return {
      kind: 'struct',
      fields: [...f.props].map(([name, schemas]) => ({ name, shape: shapeOf(doc, schemas, depth + 1) })),
    }
  }
  if (depth < MAX_DEPTH && only('array') && !f.tuple && f.items.length > 0) {
    return { kind: 'list', item: shapeOf(doc, f.items, depth + 1) }
  }
  return { kind: 'json' }
}

export interface RecordColumn {
  name: string
  shape: Shape
}

/** The record's columns: every property the root names (in `properties`, `required`, branches), in order. */
export function recordColumns(doc: SchemaDocument, root: Node): RecordColumn[] {
  const f = facts(doc, [root])
  if (f.types !== ANY && !f.types.has('object')) {
    throw new GoldgenError(
      'SCHEMA_INVALID',
      'goldgen makes one record per row, so the schema must describe an object',
      {
        file: doc.file,
        issues: [
          {
            code: 'not_an_object',
            path: [],
            message: `#${doc.pointerOf(root as object) ?? ''} allows ${[...f.types].join(', ') || 'nothing'}; choose an object schema with --pointer`,
          },
        ],
      },
    )
  }
  if (f.props.size === 0) {
    throw new GoldgenError(
      'SCHEMA_INVALID',
      'the schema names no properties, so its records have no columns',
      {
        file: doc.file,
        issues: [
          {
            code: 'no_properties',
            path: [],
            message: 'expected `properties` (or `required` names) on the root object',
          },
        ],
      },
    )
  }
  return [...f.props].map(([name, schemas]) => ({ name, shape: shapeOf(doc, schemas, 1) }))
}
