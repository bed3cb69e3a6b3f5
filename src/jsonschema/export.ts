/**
 * `goldgen export-jsonschema`: the JSON Schema (draft 2020-12) of one row of a goldgen schema as
 * goldgen writes it in JSONL. Every row goldgen generates validates against it: missing values
 * make a column nullable (or allow the `missing.as` sentinel), and a column with edge cases
 * keeps only its type, since edge cases leave ranges on purpose (floats also allow the strings
 * "NaN", "Infinity" and "-Infinity" that JSONL uses for them). A `records` schema exports the
 * JSON Schema it was made from.
 */
import { categoryValues } from '../../generators/category.ts'
import type { ColumnDef, DatasetDef } from '../../schemas/language.ts'
import { GoldgenError } from '../core/errors.ts'
import { edgePool } from '../features/edge-pools.ts'
import type { JsonObject } from './document.ts'

const DRAFT_2020_12 = 'https://json-schema.org/draft/2020-12/schema'

const textual = (spec: ColumnDef) =>
  spec.type === 'string' || spec.type === 'faker' || spec.type === 'uuid' || spec.type === 'category'

/** The JSON Schema of one column's values (without nullability). */
function columnSchema(spec: ColumnDef, edges: boolean): JsonObject {
  switch (spec.type) {
    case 'id': {
      const step = spec.step ?? 1
      const start = spec.start ?? 1
      return { type: 'integer', ...(step > 0 ? { minimum: start } : { maximum: start }) }
    }
    case 'int':
      return edges
        ? { type: 'integer' }
        : {
            type: 'integer',
            ...(spec.min !== undefined ? { minimum: spec.min } : {}),
            ...(spec.max !== undefined ? { maximum: spec.max } : {}),
          }
    case 'float':
      return edges
        ? { anyOf: [{ type: 'number' }, { enum: ['NaN', 'Infinity', '-Infinity'] }] }
        : {
            type: 'number',
            ...(spec.min !== undefined ? { minimum: spec.min } : {}),
            ...(spec.max !== undefined ? { maximum: spec.max } : {}),
          }
    case 'category': {
      const values = categoryValues(spec).values.map(String)
      return edges ? { type: 'string' } : { type: 'string', enum: values }
    }
    case 'bool':
      return { type: 'boolean' }
    case 'date':
      return edges ? { type: 'string' } : { type: 'string', format: 'date' }
    case 'datetime':
      return edges ? { type: 'string' } : { type: 'string', format: 'date-time' }
    case 'uuid':
      return edges ? { type: 'string' } : { type: 'string', format: 'uuid' }
    case 'string':
      if (edges) return { type: 'string' }
      return {
        type: 'string',
        ...(spec.pattern !== undefined ? { pattern: `^(?:${spec.pattern})$` } : {}),
      }
    case 'faker':
      return { type: 'string' }
    case 'ref':
    case 'lookup':
      // Their values are another table's; any JSON value.
      return {}
  }
}

/** The JSON Schema of a column as written in JSONL, with its description and missing values. */
function exportColumn(spec: ColumnDef): JsonObject {
  const edges = spec.edge_cases !== undefined && edgePool(spec) !== undefined
  let schema = columnSchema(spec, edges)
  const missing = spec.missing
  const as = typeof missing === 'object' ? missing.as : undefined
  if (as !== undefined) {
    // A string sentinel turns a non-text column into text.
    schema =
      typeof as === 'string' && !textual(spec) ? { type: 'string' } : { anyOf: [schema, { const: as }] }
  } else if (missing !== undefined) {
    schema =
      schema.anyOf !== undefined
        ? { anyOf: [...(schema.anyOf as JsonObject[]), { type: 'null' }] }
        : { ...schema, type: [schema.type, 'null'] }
    if (Array.isArray(schema.enum)) schema.enum = [...(schema.enum as unknown[]), null]
  }
  return spec.description !== undefined ? { description: spec.description, ...schema } : schema
}

/** The JSON Schema (draft 2020-12) of one row of `def`. */
export function exportJsonSchema(def: DatasetDef): JsonObject {
  if (def.tables !== undefined) {
    throw new GoldgenError(
      'NOT_SUPPORTED',
      `export-jsonschema describes the rows of one table; this schema has tables (${Object.keys(def.tables).join(', ')})`,
    )
  }
  if (def.records !== undefined) {
    const schema = def.records.json_schema as JsonObject
    return def.records.pointer === undefined ? schema : { ...schema, $ref: def.records.pointer }
  }
  const columns = Object.entries(def.columns ?? {})
  const properties: JsonObject = Object.create(null)
  for (const [name, spec] of columns) properties[name] = exportColumn(spec)
  return {
    $schema: DRAFT_2020_12,
    ...(def.name !== undefined ? { title: def.name } : {}),
    ...(def.description !== undefined ? { description: def.description } : {}),
    type: 'object',
    properties,
    required: columns.map(([name]) => name),
    additionalProperties: false,
  }
}
