/** Small JSON helpers shared by the JSON Schema code, statistics and the writers (no dependencies). */

export type JsonObject = { [key: string]: unknown }

/** A JSON object (not null, not an array). */
export const isObject = (v: unknown): v is JsonObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

/** The JSON Schema type of a JSON value (integers are "integer"). */
export function jsonTypeOf(v: unknown): string {
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'array'
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number'
  return typeof v === 'object' ? 'object' : typeof v
}
