/**
 * Seeded instances of a JSON Schema. Each subschema is first flattened (flat.ts): `$ref`s are
 * followed, `allOf` merged, one branch of `anyOf`/`oneOf` and of `if`/`then`/`else` chosen and
 * merged, and what must not hold (`not`, the `oneOf` branches not taken, a failed `if`) kept as
 * checks. A value is then made from the merged keywords and checked against those; a failed
 * check draws again. The caller checks the whole record with ajv, so what this heuristic misses
 * is retried, never written.
 *
 * Over 400 lines on purpose: the Sampler is one recursive descent whose value makers call each
 * other (object → value → array → value) and read best together.
 */

import { patternSampler } from '../../generators/pattern.ts'
import { GoldgenError } from '../core/errors.ts'
import type { Rng } from '../core/random.ts'
import { compileLinear, type LinearPattern } from '../core/regex.ts'
import { isObject, type JsonObject, type Node, type SchemaDocument } from './document.ts'
import { cloneJson, type Flat, has, mergeKeywords, newFlat, typeAllows } from './flat.ts'
import { formats } from './string-formats.ts'

/** Nesting beyond which optional parts are left out and arrays kept at their minimum. */
export const MAX_DEPTH = 4
const LOCAL_TRIES = 24

/** Nesting beyond which a value can only come from a schema that requires itself without end. */
const MAX_SAMPLE_DEPTH = 64

export class Unsatisfiable extends Error {}

function endlessRecursion(file: string | undefined): GoldgenError {
  return new GoldgenError('SCHEMA_INVALID', 'the JSON Schema requires values nested without end', {
    file,
    issues: [
      {
        code: 'endless_recursion',
        path: [],
        message: `values nest more than ${MAX_SAMPLE_DEPTH} levels deep: a required property or item refers back to its own schema ($ref); make it optional or give it a way to end`,
      },
    ],
  })
}

export class Sampler {
  private patterns = new Map<string, (rng: Rng) => string>()
  private regexps = new Map<string, LinearPattern>()
  private flats = new WeakMap<JsonObject, Flat>()
  private statics = new WeakMap<JsonObject, boolean>()

  constructor(
    private doc: SchemaDocument,
    private rng: Rng,
  ) {}

  /** Points the sampler at another random stream (one per block). */
  use(rng: Rng): void {
    this.rng = rng
  }

  /** A pattern, matched in linear time: a backtracking engine could hang on a hostile one. */
  private regexp(pattern: string): LinearPattern {
    let re = this.regexps.get(pattern)
    if (re === undefined) {
      const compiled = compileLinear(pattern)
      if ('error' in compiled)
        throw new Unsatisfiable(`the pattern ${JSON.stringify(pattern)}: ${compiled.error}`)
      re = compiled
      this.regexps.set(pattern, re)
    }
    return re
  }

  private chance(p: number): boolean {
    return this.rng.next() < p
  }

  private pick<T>(list: readonly T[]): T {
    return list[this.rng.below(list.length)]!
  }

  /** Merges a subschema (and what it references) into `flat`. */
  flatten(node: Node, flat: Flat, depth: number, refs = 0): void {
    if (node === true) return
    if (node === false) throw new Unsatisfiable('a false schema')
    const at = this.doc.pointerOf(node) ?? ''
    if (typeof node.$ref === 'string') {
      if (refs > 64) throw new Unsatisfiable(`$ref cycle at #${at}`)
      this.flatten(this.doc.resolve(node.$ref, at), flat, depth, refs + 1)
      // Before 2019-09, keywords next to $ref are ignored.
      if (this.doc.draft === '04' || this.doc.draft === '06' || this.doc.draft === '07') return
    }
    if (typeof node.$dynamicRef === 'string' && node.$dynamicRef.startsWith('#/')) {
      this.flatten(this.doc.resolve(node.$dynamicRef, at), flat, depth, refs + 1)
    }
    mergeKeywords(node, flat, this.doc.draft)
    if (Array.isArray(node.allOf)) for (const s of node.allOf as Node[]) this.flatten(s, flat, depth, refs)
    if (Array.isArray(node.anyOf)) this.flatten(this.pick(node.anyOf as Node[]), flat, depth, refs)
    if (Array.isArray(node.oneOf)) {
      const branches = node.oneOf as Node[]
      const chosen = this.rng.below(branches.length)
      this.flatten(branches[chosen]!, flat, depth, refs)
      branches.forEach((b, i) => {
        if (i !== chosen) this.addNot(b, flat)
      })
    }
    if (has(node, 'not')) this.addNot(node.not as Node, flat)
    if (has(node, 'if')) {
      const cond = node.if as Node
      const then = has(node, 'then') ? (node.then as Node) : true
      const otherwise = has(node, 'else') ? (node.else as Node) : true
      if (this.chance(0.5)) {
        this.flatten(cond, flat, depth, refs)
        this.flatten(then, flat, depth, refs)
      } else {
        this.flatten(otherwise, flat, depth, refs)
        this.addNot(cond, flat)
      }
    }
  }

  /**
   * One subschema flattened. A subschema whose flattening draws nothing and keeps no checks
   * (no anyOf/oneOf/if/not/dependentSchemas down its $refs and allOfs) flattens the same way
   * every time: it is flattened once and each use gets a copy with its own `forbidden` set, the
   * one part sampling changes. Same draws, same values.
   */
  private flattenOne(node: Node, depth: number): Flat {
    if (!isObject(node) || !this.isStatic(node, 0)) {
      const flat = newFlat()
      this.flatten(node, flat, depth)
      return flat
    }
    let flat = this.flats.get(node)
    if (flat === undefined) {
      flat = newFlat()
      this.flatten(node, flat, depth)
      // Schema-valued `dependencies` (draft 7) also flatten more later: keep those uncached.
      if (flat.obj.dependentSchemas.size > 0 || flat.nots.length > 0) {
        this.statics.set(node, false)
        return flat
      }
      this.flats.set(node, flat)
    }
    return { ...flat, nots: [], forbidden: new Set() }
  }

  private isStatic(node: Node, refs: number): boolean {
    if (node === true) return true
    if (node === false || refs > 64) return false
    const known = this.statics.get(node)
    if (known !== undefined) return known
    this.statics.set(node, false) // a $ref cycle in progress counts as not static
    const at = this.doc.pointerOf(node) ?? ''
    const parts: Node[] = []
    if (typeof node.$ref === 'string') parts.push(this.doc.resolve(node.$ref, at))
    if (typeof node.$dynamicRef === 'string') {
      if (!node.$dynamicRef.startsWith('#/')) return false
      parts.push(this.doc.resolve(node.$dynamicRef, at))
    }
    if (Array.isArray(node.allOf)) parts.push(...(node.allOf as Node[]))
    const drawsOrChecks =
      has(node, 'anyOf') ||
      has(node, 'oneOf') ||
      has(node, 'not') ||
      has(node, 'if') ||
      has(node, 'dependentSchemas')
    const result = !drawsOrChecks && parts.every((p) => this.isStatic(p, refs + 1))
    this.statics.set(node, result)
    return result
  }

  private addNot(node: Node, flat: Flat): void {
    if (node === false) return
    if (node === true) throw new Unsatisfiable('not: true')
    flat.nots.push({ node, pointer: this.doc.pointerOf(node) })
  }

  /** A value for the conjunction of `nodes`. `names` restricts an object's keys (the record level). */
  sample(nodes: readonly Node[], depth: number, names?: readonly string[]): unknown {
    if (depth > MAX_SAMPLE_DEPTH) throw endlessRecursion(this.doc.file)
    let last: Error | undefined
    for (let attempt = 0; attempt < LOCAL_TRIES; attempt++) {
      let flat: Flat
      try {
        flat = nodes.length === 1 ? this.flattenOne(nodes[0]!, depth) : newFlat()
        if (nodes.length !== 1) for (const n of nodes) this.flatten(n, flat, depth)
        this.forbidFromNots(flat)
        const value = this.value(flat, depth, names)
        if (flat.nots.every((n) => !this.matches(n, value))) return value
        last = new Unsatisfiable('a value matched a schema it must not match (not / oneOf)')
      } catch (e) {
        if (!(e instanceof Unsatisfiable)) throw e
        last = e
      }
    }
    throw last ?? new Unsatisfiable('no value found')
  }

  private matches(not: { node: Node; pointer: string | undefined }, value: unknown): boolean {
    if (typeof not.node === 'boolean') return not.node
    if (not.pointer === undefined) return false
    return this.doc.validatorAt(not.pointer)(value) as boolean
  }

  /** A `not`/other-branch that only requires properties is kept from matching by leaving one of them out. */
  private forbidFromNots(flat: Flat): void {
    for (const { node } of flat.nots) {
      if (!isObject(node) || !Array.isArray(node.required)) continue
      const required = node.required as string[]
      if (required.some((k) => flat.forbidden.has(k))) continue
      const optional = required.filter((k) => !flat.obj.required.has(k))
      if (optional.length > 0) flat.forbidden.add(this.pick(optional))
    }
  }

  private value(f: Flat, depth: number, names?: readonly string[]): unknown {
    if (f.consts !== undefined) {
      const allowed = f.consts.filter((v) => typeAllows(f.types, v))
      if (allowed.length === 0) throw new Unsatisfiable('no enum value fits the other keywords')
      return cloneJson(this.pick(allowed))
    }
    const type = this.chooseType(f, names !== undefined)
    switch (type) {
      case 'null':
        return null
      case 'boolean':
        return this.chance(0.5)
      case 'integer':
        return this.integer(f)
      case 'number':
        return this.number(f)
      case 'string':
        return this.string(f)
      case 'array':
        return this.array(f, depth)
      default:
        return this.object(f, depth, names)
    }
  }

  private chooseType(f: Flat, record: boolean): string {
    if (record) return 'object'
    let types = f.types === undefined ? this.impliedTypes(f) : [...f.types]
    if (types.includes('number') && types.includes('integer')) types = types.filter((t) => t !== 'integer')
    if (types.length === 0) throw new Unsatisfiable('no type fits every keyword')
    const nonNull = types.filter((t) => t !== 'null')
    if (nonNull.length === 0) return 'null'
    if (nonNull.length < types.length && this.chance(0.1)) return 'null'
    return this.pick(nonNull)
  }

  /** Types a schema without `type` allows, guessed from its keywords (any type when none). */
  private impliedTypes(f: Flat): string[] {
    const o = f.obj
    if (o.properties.size > 0 || o.required.size > 0 || o.patterns.size > 0 || o.dependentRequired.size > 0)
      return ['object']
    if (
      f.arr.prefix.length > 0 ||
      f.arr.items.length > 0 ||
      f.arr.contains !== undefined ||
      f.arr.minItems > 0
    )
      return ['array']
    if (
      f.str.patterns.length > 0 ||
      f.str.format !== undefined ||
      f.str.minLength > 0 ||
      f.str.maxLength < Infinity
    )
      return ['string']
    if (f.num.multipleOf.length > 0 || f.num.min > -Infinity || f.num.max < Infinity)
      return ['integer', 'number']
    return ['string', 'integer', 'boolean']
  }

  private bounds(f: Flat, integer: boolean): [number, number] {
    const { min, max, exMin, exMax } = f.num
    let lo = min
    let hi = max
    if (integer) {
      lo = exMin ? Math.floor(lo) + 1 : Math.ceil(lo)
      hi = exMax ? Math.ceil(hi) - 1 : Math.floor(hi)
    }
    if (lo === -Infinity && hi === Infinity) return integer ? [0, 1000] : [0, 1000]
    if (lo === -Infinity) lo = hi - 1000
    if (hi === Infinity) hi = lo + 1000
    if (lo > hi) throw new Unsatisfiable('minimum is above maximum')
    return [lo, hi]
  }

  private integer(f: Flat): number {
    const [lo, hi] = this.bounds(f, true)
    const step = integerStep(f.num.multipleOf)
    if (step === undefined)
      throw new Unsatisfiable('multipleOf values have no common integer multiple goldgen can find')
    const from = Math.ceil(lo / step)
    const to = Math.floor(hi / step)
    if (from > to) throw new Unsatisfiable('no multiple of multipleOf between minimum and maximum')
    const v = (from + this.rng.below(Math.min(to - from + 1, 2 ** 53))) * step
    return v === 0 ? 0 : v
  }

  private number(f: Flat): number {
    const [lo, hi] = this.bounds(f, false)
    const { exMin, exMax, multipleOf } = f.num
    const inRange = (v: number) => (exMin ? v > lo : v >= lo) && (exMax ? v < hi : v <= hi)
    if (multipleOf.length > 0) {
      const m = multipleOf.reduce((a, b) => (isMultiple(a, b) ? a : isMultiple(b, a) ? b : a * b))
      const from = Math.ceil(lo / m)
      const to = Math.floor(hi / m)
      for (let i = 0; i < LOCAL_TRIES && from <= to; i++) {
        const v = Number(((from + this.rng.below(to - from + 1)) * m).toPrecision(15))
        if (inRange(v) && multipleOf.every((d) => isMultiple(v, d))) return v === 0 ? 0 : v
      }
      throw new Unsatisfiable('no multiple of multipleOf between minimum and maximum')
    }
    for (let i = 0; i < LOCAL_TRIES; i++) {
      const v = Math.round((lo + this.rng.next() * (hi - lo)) * 1e4) / 1e4
      if (inRange(v)) return v === 0 ? 0 : v
    }
    if (inRange(lo)) return lo
    throw new Unsatisfiable('no number between minimum and maximum')
  }

  private string(f: Flat): string {
    const { minLength, maxLength, patterns, format } = f.str
    if (minLength > maxLength) throw new Unsatisfiable('minLength is above maxLength')
    const fits = (s: string) => {
      const n = codePoints(s)
      return n >= minLength && n <= maxLength && patterns.every((p) => this.regexp(p).test(s))
    }
    for (let i = 0; i < LOCAL_TRIES * 2; i++) {
      let s: string
      if (format !== undefined && formats[format] !== undefined) s = formats[format](this.rng)
      else if (patterns.length > 0) s = this.fromPattern(patterns[i % patterns.length]!)
      else s = this.word(minLength, maxLength)
      if (fits(s)) return s
      if (patterns.length > 0 && codePoints(s) < minLength && format === undefined) {
        // A short match of an unanchored pattern may be padded at the end.
        const padded = s + this.word(minLength - codePoints(s), maxLength - codePoints(s))
        if (fits(padded)) return padded
      }
    }
    throw new Unsatisfiable('no string found that fits its length, pattern and format')
  }

  private fromPattern(pattern: string): string {
    let sample = this.patterns.get(pattern)
    if (sample === undefined) {
      try {
        sample = patternSampler(pattern)
      } catch (e) {
        throw new Unsatisfiable(
          `goldgen cannot generate from the pattern ${JSON.stringify(pattern)}: ${(e as Error).message}`,
        )
      }
      this.patterns.set(pattern, sample)
    }
    return sample(this.rng)
  }

  private word(minLength: number, maxLength: number): string {
    const hi = Math.min(maxLength, minLength + 12)
    const lo = Math.max(minLength, Math.min(hi, 3))
    const n = lo + this.rng.below(hi - lo + 1)
    let s = ''
    for (let i = 0; i < n; i++) s += LETTERS[this.rng.below(26)]
    return s
  }

  private array(f: Flat, depth: number): unknown[] {
    const a = f.arr
    const prefix = a.prefix.length
    let hi = Math.min(a.maxItems, a.closed ? prefix : Infinity)
    const lo = Math.max(a.minItems, a.contains === undefined ? 0 : a.contains.min)
    if (hi === Infinity) hi = depth >= MAX_DEPTH ? lo : Math.max(lo, prefix) + 3
    if (lo > hi) throw new Unsatisfiable('minItems is above maxItems')
    const n = depth >= MAX_DEPTH ? lo : lo + this.rng.below(hi - lo + 1)
    const positions = new Set<number>()
    if (a.contains !== undefined) {
      const want = Math.min(
        n,
        a.contains.max,
        a.contains.min + this.rng.below(Math.max(1, Math.min(n, a.contains.max) - a.contains.min + 1)),
      )
      while (positions.size < want) positions.add(this.rng.below(n))
    }
    const out: unknown[] = []
    const keys = new Set<string>()
    for (let i = 0; i < n; i++) {
      const schemas: Node[] = i < prefix ? [...a.prefix[i]!] : [...a.items]
      if (positions.has(i)) schemas.push(a.contains!.schema)
      let v: unknown
      for (let t = 0; ; t++) {
        v = this.sample(schemas, depth + 1)
        if (!a.unique) break
        const key = JSON.stringify(canonicalJsonValue(v))
        if (!keys.has(key)) {
          keys.add(key)
          break
        }
        if (t >= LOCAL_TRIES) throw new Unsatisfiable('not enough distinct items for uniqueItems')
      }
      out.push(v)
    }
    return out
  }

  private object(f: Flat, depth: number, names?: readonly string[]): JsonObject {
    const o = f.obj
    const out: JsonObject = Object.create(null)
    const present = new Set<string>(o.required)
    for (const k of o.required) if (f.forbidden.has(k)) f.forbidden.delete(k)
    const optionalChance = depth >= MAX_DEPTH ? 0 : 0.6 / (1 + depth)
    const declared = [...o.properties.keys()]
    const candidates = names ?? declared
    // A record's column that the branches taken do not declare is only added when the object
    // is open to it (no additionalProperties/unevaluatedProperties false, or a pattern admits it).
    const admitted = (k: string) =>
      !o.closed || o.properties.has(k) || [...o.patterns.keys()].some((p) => this.regexp(p).test(k))
    for (const k of candidates) {
      if (!present.has(k) && !f.forbidden.has(k) && admitted(k) && this.chance(optionalChance)) present.add(k)
    }
    // dependentSchemas of present keys add their keywords (and requirements) to this object.
    for (const k of [...present]) {
      for (const dep of o.dependentSchemas.get(k) ?? []) this.flatten(dep, f, depth)
    }
    for (const k of o.required) present.add(k)
    // dependentRequired, closed over.
    for (let changed = true; changed; ) {
      changed = false
      for (const k of [...present]) {
        for (const d of o.dependentRequired.get(k) ?? []) {
          if (present.has(d)) continue
          if (f.forbidden.has(d) || (names !== undefined && !names.includes(d))) {
            if (o.required.has(k)) throw new Unsatisfiable(`dependentRequired of ${k} cannot be met`)
            present.delete(k)
          } else present.add(d)
          changed = true
        }
      }
    }
    const schemasFor = (k: string): Node[] => {
      const list = [...(o.properties.get(k) ?? [])]
      for (const [p, schemas] of o.patterns) if (this.regexp(p).test(k)) list.push(...schemas)
      if (list.length === 0 && !o.properties.has(k)) {
        if (o.closed) return [false]
        list.push(...o.additional)
      }
      return list
    }
    // Extra keys: from patternProperties now and then, or to reach minProperties.
    const extraNames = (): string | undefined => {
      const patterns = [...o.patterns.keys()]
      for (let t = 0; t < LOCAL_TRIES; t++) {
        let name: string
        if (patterns.length > 0 && (o.closed || this.chance(0.7)))
          name = this.fromPattern(this.pick(patterns))
        else if (o.closed) return undefined
        else
          name =
            o.propertyNames.length > 0 ? String(this.sample(o.propertyNames, depth + 1)) : this.word(3, 8)
        if (present.has(name) || o.properties.has(name) || f.forbidden.has(name)) continue
        if (o.propertyNames.length > 0 && o.propertyNames.some((s) => !this.nameFits(s, name))) continue
        return name
      }
      return undefined
    }
    if (
      names === undefined &&
      o.patterns.size > 0 &&
      present.size < o.maxProperties &&
      this.chance(optionalChance / 2)
    ) {
      const name = extraNames()
      if (name !== undefined) present.add(name)
    }
    for (const k of declared) {
      if (present.size >= o.minProperties) break
      if (!f.forbidden.has(k)) present.add(k)
    }
    while (present.size < o.minProperties && names === undefined) {
      const name = extraNames()
      if (name === undefined) throw new Unsatisfiable('minProperties cannot be reached')
      present.add(name)
    }
    for (const k of [...present]) {
      if (present.size <= o.maxProperties) break
      if (!o.required.has(k)) present.delete(k)
    }
    if (present.size > o.maxProperties)
      throw new Unsatisfiable('maxProperties is below the required properties')
    const order = [
      ...candidates.filter((k) => present.has(k)),
      ...[...present].filter((k) => !candidates.includes(k)),
    ]
    for (const k of order) {
      out[k] = this.sample(schemasFor(k), depth + 1)
    }
    return out
  }

  private nameFits(schema: Node, name: string): boolean {
    const pointer = typeof schema === 'object' ? this.doc.pointerOf(schema) : undefined
    if (typeof schema === 'boolean') return schema
    return pointer === undefined ? true : (this.doc.validatorAt(pointer)(name) as boolean)
  }
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyz'

/** Length in Unicode code points, as JSON Schema counts it. */
function codePoints(s: string): number {
  let n = 0
  for (const _ of s) n++
  return n
}

function isMultiple(v: number, m: number): boolean {
  const q = v / m
  return Number.isFinite(q) && q === Math.trunc(q)
}

/** The smallest positive integer that is a multiple of every `multipleOf` (1 when there are none). */
function integerStep(multiples: number[]): number | undefined {
  let step = 1
  for (const m of multiples) {
    let k = m
    if (!Number.isInteger(k)) {
      let found: number | undefined
      for (let i = 1; i <= 10_000; i++) {
        const c = Math.round(m * i)
        if (Math.abs(c - m * i) < 1e-9 && isMultiple(c, m)) {
          found = c
          break
        }
      }
      if (found === undefined) return undefined
      k = found
    }
    step = lcm(step, k)
    if (!Number.isSafeInteger(step)) return undefined
  }
  return step
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b))
const lcm = (a: number, b: number) => (a / gcd(a, b)) * b

/** Object keys sorted, so uniqueItems compares objects as JSON Schema does. */
function canonicalJsonValue(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonicalJsonValue)
  if (!isObject(v)) return v
  return Object.keys(v)
    .sort()
    .map((k) => [k, canonicalJsonValue(v[k])])
}
