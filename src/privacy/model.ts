/**
 * Generation from a fitted model (`model:` in a schema, written by `goldgen fit`): ordinary
 * seeded generation, so it is post-processing of what the fit released and stays reproducible.
 * Each row is sampled down the tree: roots from their marginals, every other column from its
 * parent's conditional row; a bin becomes a uniform value inside it, the last cell a null.
 */
import { cumulative, searchCdf } from '../../generators/math.ts'
import type { DatasetDef } from '../../schemas/language.ts'
import { GoldgenError, type Issue } from '../core/errors.ts'
import { blockRng, type Rng } from '../core/random.ts'
import type { Shape } from '../core/shape.ts'
import { defineRowSource } from '../engine/source.ts'
import type { JsonObject } from '../jsonschema/document.ts'
import type { RecordSource, RecordsPlan } from '../jsonschema/records.ts'
import { recordsSource } from '../jsonschema/records-source.ts'

export const MODEL_GENERATOR_VERSION = 1

interface PlannedModelColumn {
  name: string
  parent: number
  /** One cumulative distribution per parent cell (a single one for roots). */
  cdfs: Float64Array[]
  decode: (cell: number, rng: Rng) => unknown
  shape: Shape
}

/** The cumulative distribution of a row of weights (uniform when the row has no mass). */
const cdfOf = (weights: readonly number[]) =>
  cumulative(weights.some((w) => w > 0) ? weights : weights.map(() => 1))

function shapeOfValues(values: readonly (string | number | boolean)[]): Shape {
  if (values.every((v) => typeof v === 'string')) return { kind: 'utf8' }
  if (values.every((v) => typeof v === 'boolean')) return { kind: 'bool' }
  if (values.every((v) => Number.isSafeInteger(v))) return { kind: 'int64' }
  if (values.every((v) => typeof v === 'number')) return { kind: 'float64' }
  return { kind: 'json' }
}

/** Plans a `model:` schema. Errors name the file and the column. */
export function planModel(def: DatasetDef, file?: string): RecordsPlan {
  const model = def.model!
  const names = Object.keys(model.columns)
  const issues: Issue[] = []
  const columns: PlannedModelColumn[] = []
  names.forEach((name, index) => {
    const c = model.columns[name]!
    const path = ['model', 'columns', name]
    const cells = (c.values?.length ?? (c.bins ? c.bins.length - 1 : 0)) + 1
    if ((c.values === undefined) === (c.bins === undefined)) {
      issues.push({ code: 'cells', path, message: 'expected exactly one of values and bins' })
      return
    }
    const parent = c.parent === undefined ? -1 : names.indexOf(c.parent)
    if (c.parent !== undefined && !(parent >= 0 && parent < index)) {
      issues.push({
        code: 'parent',
        path: [...path, 'parent'],
        message: `the parent must be a column listed before ${name}`,
      })
      return
    }
    const rows = (parent < 0 ? [c.weights] : c.weights) as unknown[]
    const parentCells = parent < 0 ? 1 : modelCells(model.columns[names[parent]!]!)
    if (rows.length !== parentCells || !rows.every((r) => Array.isArray(r) && r.length === cells)) {
      issues.push({
        code: 'weights',
        path: [...path, 'weights'],
        message:
          parent < 0
            ? `expected ${cells} weights (one per cell, the last for missing)`
            : `expected ${parentCells} rows of ${cells} weights (one row per cell of ${c.parent})`,
      })
      return
    }
    const cdfs = (rows as number[][]).map(cdfOf)
    const missing = cells - 1
    let decode: PlannedModelColumn['decode']
    let shape: Shape
    if (c.values !== undefined) {
      const values = c.values
      decode = (cell) => (cell === missing ? null : values[cell])
      shape = shapeOfValues(values)
    } else {
      const edges = c.bins!
      const integer = c.integer === true
      decode = (cell, rng) => {
        if (cell === missing) return null
        const a = edges[cell]!
        const b = edges[cell + 1]!
        if (integer) {
          const lo = Math.ceil(a)
          const hi = cell === edges.length - 2 ? Math.floor(b) : Math.ceil(b) - 1
          return hi < lo ? lo : lo + rng.below(hi - lo + 1)
        }
        return Math.round((a + rng.next() * (b - a)) * 1e4) / 1e4
      }
      shape = { kind: integer ? 'int64' : 'float64' }
    }
    columns.push({ name, parent, cdfs, decode, shape })
  })
  if (issues.length > 0) throw new GoldgenError('SCHEMA_INVALID', 'invalid model', { file, issues })
  return {
    columns: columns.map((c) => ({ name: c.name, shape: c.shape })),
    generator: { type: 'model-tree', version: MODEL_GENERATOR_VERSION },
    info: { from: 'model', kind: 'tree' },
    source: (seed) => modelSource(columns, seed),
  }
}

const modelCells = (c: { values?: unknown[] | undefined; bins?: number[] | undefined }) =>
  (c.values?.length ?? (c.bins ? c.bins.length - 1 : 0)) + 1

function modelSource(columns: PlannedModelColumn[], seed: number): RecordSource {
  let cached: { index: number; rows: JsonObject[] } | undefined
  return {
    rejected: () => 0,
    block(index, length) {
      if (cached?.index === index && cached.rows.length === length) return cached.rows
      const rng = blockRng(seed, '_goldgen_model', 'rows', index)
      const rows: JsonObject[] = new Array(length)
      const cells = new Int32Array(columns.length)
      for (let r = 0; r < length; r++) {
        const row: JsonObject = Object.create(null)
        for (let c = 0; c < columns.length; c++) {
          const col = columns[c]!
          const cell = searchCdf(col.cdfs[col.parent < 0 ? 0 : cells[col.parent]!]!, rng.next())
          cells[c] = cell
          row[col.name] = col.decode(cell, rng)
        }
        rows[r] = row
      }
      cached = { index, rows }
      return rows
    },
  }
}

/** Schemas with `model:` (written by `goldgen fit`). */
export const modelRowSource = defineRowSource({
  name: 'model',
  claims: (def) => def.model !== undefined,
  tags: false,
  plan: (def, ctx) => recordsSource('model', planModel(def, ctx.source.file)),
})
