/**
 * The shape of a JSON column (records generated from a JSON Schema): which Arrow type holds it,
 * how its values become Arrow builder input, and its type name as manifests show it.
 */
import { isObject, type JsonObject } from './json.ts'

export type Shape =
  | { kind: 'int64' | 'float64' | 'bool' | 'utf8' | 'json' }
  | { kind: 'struct'; fields: { name: string; shape: Shape }[] }
  | { kind: 'list'; item: Shape }

/** A value as apache-arrow's builders take it for a shape (Int64 as BigInt, JSON text as strings). */
export function toArrowValue(v: unknown, shape: Shape, column: string): unknown {
  if (v === undefined || v === null) return null
  const misfit = (): never => {
    throw new Error(
      `goldgen bug: value ${JSON.stringify(v)} does not fit column ${column} (${shapeTypeName(shape)})`,
    )
  }
  switch (shape.kind) {
    case 'int64':
      return Number.isSafeInteger(v) ? BigInt(v as number) : misfit()
    case 'float64':
      return typeof v === 'number' ? v : misfit()
    case 'bool':
      return typeof v === 'boolean' ? v : misfit()
    case 'utf8':
      return typeof v === 'string' ? v : misfit()
    case 'json':
      return JSON.stringify(v)
    case 'struct': {
      if (!isObject(v)) return misfit()
      const out: JsonObject = {}
      for (const f of shape.fields)
        out[f.name] = toArrowValue(
          Object.hasOwn(v, f.name) ? v[f.name] : null,
          f.shape,
          `${column}.${f.name}`,
        )
      if (Object.keys(v).some((k) => !shape.fields.some((f) => f.name === k))) misfit()
      return out
    }
    case 'list':
      return Array.isArray(v) ? v.map((x) => toArrowValue(x, shape.item, `${column}[]`)) : misfit()
  }
}

/** The shape's Arrow type name, as manifests show it. */
export function shapeTypeName(shape: Shape): string {
  switch (shape.kind) {
    case 'struct':
      return `Struct<${shape.fields.map((f) => `${f.name}: ${shapeTypeName(f.shape)}`).join(', ')}>`
    case 'list':
      return `List<${shapeTypeName(shape.item)}>`
    case 'json':
      return 'Utf8 (JSON text)'
    default:
      return { int64: 'Int64', float64: 'Float64', bool: 'Bool', utf8: 'Utf8' }[shape.kind]
  }
}
