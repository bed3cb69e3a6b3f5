/**
 * A subschema flattened for sampling: the merged keywords of every schema a value must follow
 * (types, bounds, lengths, patterns, items, properties), what it must not match, and the JSON
 * helpers the merge needs.
 */
import { isObject, type JsonObject, jsonTypeOf, type Node } from './document.ts'

export const has = (o: JsonObject, k: string) => Object.hasOwn(o, k)

/** The merged keywords of a flattened subschema. */
export interface Flat {
  types: Set<string> | undefined
  consts: unknown[] | undefined
  num: { min: number; max: number; exMin: boolean; exMax: boolean; multipleOf: number[] }
  str: { minLength: number; maxLength: number; patterns: string[]; format: string | undefined }
  arr: {
    minItems: number
    maxItems: number
    unique: boolean
    prefix: Node[][]
    items: Node[]
    /** No items beyond the prefix (items/additionalItems/unevaluatedItems false). */
    closed: boolean
    contains: { schema: Node; min: number; max: number } | undefined
  }
  obj: {
    properties: Map<string, Node[]>
    patterns: Map<string, Node[]>
    additional: Node[]
    closed: boolean
    required: Set<string>
    dependentRequired: Map<string, string[]>
    dependentSchemas: Map<string, Node[]>
    minProperties: number
    maxProperties: number
    propertyNames: Node[]
  }
  /** Schemas the value must not match, by JSON pointer. */
  nots: { node: Node; pointer: string | undefined }[]
  /** Named properties that must be left out (to keep another `oneOf` branch or a `not` from matching). */
  forbidden: Set<string>
}

export const newFlat = (): Flat => ({
  types: undefined,
  consts: undefined,
  num: { min: -Infinity, max: Infinity, exMin: false, exMax: false, multipleOf: [] },
  str: { minLength: 0, maxLength: Infinity, patterns: [], format: undefined },
  arr: {
    minItems: 0,
    maxItems: Infinity,
    unique: false,
    prefix: [],
    items: [],
    closed: false,
    contains: undefined,
  },
  obj: {
    properties: new Map(),
    patterns: new Map(),
    additional: [],
    closed: false,
    required: new Set(),
    dependentRequired: new Map(),
    dependentSchemas: new Map(),
    minProperties: 0,
    maxProperties: Infinity,
    propertyNames: [],
  },
  nots: [],
  forbidden: new Set(),
})

export const push = <K, V>(map: Map<K, V[]>, key: K, value: V) => {
  const list = map.get(key)
  if (list === undefined) map.set(key, [value])
  else list.push(value)
}

export const typesOf = (t: unknown): string[] | undefined =>
  typeof t === 'string' ? [t] : Array.isArray(t) ? (t as string[]) : undefined

export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false
  if (Array.isArray(a) !== Array.isArray(b)) return false
  if (Array.isArray(a)) {
    const bb = b as unknown[]
    return a.length === bb.length && a.every((v, i) => jsonEqual(v, bb[i]))
  }
  const ka = Object.keys(a as object)
  const kb = Object.keys(b as object)
  return (
    ka.length === kb.length &&
    ka.every((k) => Object.hasOwn(b as object, k) && jsonEqual((a as JsonObject)[k], (b as JsonObject)[k]))
  )
}

/**
 * A deep copy of a `const`/`enum` value. JSON.parse makes keys like `__proto__` own keys, and
 * plain prototypes, which ajv's deep equality (it compares constructors) expects.
 */
export function cloneJson(v: unknown): unknown {
  return v === undefined ? v : JSON.parse(JSON.stringify(v))
}

export const typeAllows = (types: Set<string> | undefined, v: unknown) => {
  if (types === undefined) return true
  const t = jsonTypeOf(v)
  return types.has(t) || (t === 'integer' && types.has('number'))
}

/** Merges one subschema's keywords into a flattened one (narrowing types, bounds, lengths, properties). */
export function mergeKeywords(s: JsonObject, f: Flat, draft: string): void {
  const types = typesOf(s.type)
  if (types !== undefined) {
    // "number" admits integers too.
    const next = new Set(types.includes('number') ? [...types, 'integer'] : types)
    f.types = f.types === undefined ? next : new Set([...f.types].filter((t) => next.has(t)))
  }
  const values = has(s, 'const') ? [s.const] : Array.isArray(s.enum) ? (s.enum as unknown[]) : undefined
  if (values !== undefined) {
    f.consts = f.consts === undefined ? values : f.consts.filter((a) => values.some((b) => jsonEqual(a, b)))
  }
  const n = f.num
  const draft4 = draft === '04'
  if (typeof s.minimum === 'number') {
    const ex = draft4 && s.exclusiveMinimum === true
    if (s.minimum > n.min || (s.minimum === n.min && ex)) {
      n.min = s.minimum
      n.exMin = ex
    }
  }
  if (typeof s.maximum === 'number') {
    const ex = draft4 && s.exclusiveMaximum === true
    if (s.maximum < n.max || (s.maximum === n.max && ex)) {
      n.max = s.maximum
      n.exMax = ex
    }
  }
  if (typeof s.exclusiveMinimum === 'number' && s.exclusiveMinimum >= n.min) {
    n.min = s.exclusiveMinimum
    n.exMin = true
  }
  if (typeof s.exclusiveMaximum === 'number' && s.exclusiveMaximum <= n.max) {
    n.max = s.exclusiveMaximum
    n.exMax = true
  }
  if (typeof s.multipleOf === 'number' && s.multipleOf > 0) n.multipleOf.push(s.multipleOf)
  const t = f.str
  if (typeof s.minLength === 'number') t.minLength = Math.max(t.minLength, s.minLength)
  if (typeof s.maxLength === 'number') t.maxLength = Math.min(t.maxLength, s.maxLength)
  if (typeof s.pattern === 'string') t.patterns.push(s.pattern)
  if (typeof s.format === 'string') t.format ??= s.format
  const a = f.arr
  if (typeof s.minItems === 'number') a.minItems = Math.max(a.minItems, s.minItems)
  if (typeof s.maxItems === 'number') a.maxItems = Math.min(a.maxItems, s.maxItems)
  if (s.uniqueItems === true) a.unique = true
  const tuple = Array.isArray(s.prefixItems) ? s.prefixItems : Array.isArray(s.items) ? s.items : undefined
  if (tuple !== undefined) {
    ;(tuple as Node[]).forEach((item, i) => {
      a.prefix[i] ??= []
      a.prefix[i].push(item)
    })
    const rest = Array.isArray(s.prefixItems) ? s.items : s.additionalItems
    if (rest === false) a.closed = true
    else if (rest !== undefined) a.items.push(rest as Node)
  } else if (has(s, 'items')) {
    if (s.items === false) a.closed = true
    else a.items.push(s.items as Node)
  }
  if (s.unevaluatedItems === false && a.items.length === 0) a.closed = true
  if (has(s, 'contains')) {
    a.contains = {
      schema: s.contains as Node,
      min: typeof s.minContains === 'number' ? s.minContains : 1,
      max: typeof s.maxContains === 'number' ? s.maxContains : Infinity,
    }
  }
  const o = f.obj
  if (isObject(s.properties))
    for (const k of Object.keys(s.properties)) push(o.properties, k, s.properties[k] as Node)
  if (isObject(s.patternProperties)) {
    for (const k of Object.keys(s.patternProperties)) push(o.patterns, k, s.patternProperties[k] as Node)
  }
  if (s.additionalProperties === false || s.unevaluatedProperties === false) o.closed = true
  else if (isObject(s.additionalProperties)) o.additional.push(s.additionalProperties)
  if (Array.isArray(s.required)) for (const k of s.required as string[]) o.required.add(k)
  const deps: [string, unknown][] = [
    ...(isObject(s.dependentRequired) ? Object.entries(s.dependentRequired) : []),
    ...(isObject(s.dependencies) ? Object.entries(s.dependencies) : []),
  ]
  for (const [k, v] of deps) {
    if (Array.isArray(v))
      o.dependentRequired.set(k, [...(o.dependentRequired.get(k) ?? []), ...(v as string[])])
    else push(o.dependentSchemas, k, v as Node)
  }
  if (isObject(s.dependentSchemas)) {
    for (const k of Object.keys(s.dependentSchemas))
      push(o.dependentSchemas, k, s.dependentSchemas[k] as Node)
  }
  if (typeof s.minProperties === 'number') o.minProperties = Math.max(o.minProperties, s.minProperties)
  if (typeof s.maxProperties === 'number') o.maxProperties = Math.min(o.maxProperties, s.maxProperties)
  if (has(s, 'propertyNames')) o.propertyNames.push(s.propertyNames as Node)
}
