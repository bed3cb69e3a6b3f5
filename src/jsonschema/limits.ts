/**
 * Sizes a JSON Schema may ask for, checked on import before anything is sampled: a string's
 * `minLength`, an array's `minItems`, an object's `minProperties`, and how deep subschemas nest.
 * Past these a record could not be made in memory (or the walk itself would overflow the stack).
 */
import type { JsonObject } from '../core/json.ts'

export const MAX_MIN_LENGTH = 100_000
export const MAX_MIN_ITEMS = 10_000
export const MAX_MIN_PROPERTIES = 10_000
/** The deepest subschema, counted in JSON Pointer segments. */
export const MAX_SCHEMA_DEPTH = 256

/** Why a subschema at `pointer` asks for too much, if it does. */
export function sizeProblem(node: JsonObject, pointer: string): string | undefined {
  const depth = pointer.split('/').length - 1
  if (depth > MAX_SCHEMA_DEPTH)
    return `subschemas nest more than ${MAX_SCHEMA_DEPTH} levels deep; goldgen samples shallower schemas`
  for (const [key, max] of [
    ['minLength', MAX_MIN_LENGTH],
    ['minItems', MAX_MIN_ITEMS],
    ['minProperties', MAX_MIN_PROPERTIES],
  ] as const) {
    const v = node[key]
    if (typeof v === 'number' && v > max)
      return `${key} ${v} is more than the ${max} goldgen makes in one value; lower it`
  }
  return undefined
}
