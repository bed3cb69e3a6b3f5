/**
 * Column mapping for the contract runner: which dataset columns travel in which model input
 * (`--inputs "x=age,income,score"`), which model output answers which expected-output column
 * (`--outputs "probability=churn_prob"`), goldgen's column type → Open Inference Protocol
 * datatype table, and whether a declared datatype can carry a column's values.
 */
import { GoldgenError } from '../core/errors.ts'
import type { CellValue, DataRow } from '../formats/read.ts'

/** One model input: its name, the columns it carries (one, or several packed as `[batch, k]`), how. */
export interface InputTensor {
  name: string
  columns: string[]
  /** OIP datatype (BOOL, INT64, FP64, BYTES, …). */
  datatype: string
  /** 1: shape `[batch]`; 2: shape `[batch, k]`. */
  rank: 1 | 2
}

/** Expected-output columns and the model output name that answers each. */
export interface OutputPlan {
  columns: string[]
  nameOf: Record<string, string>
}

/** goldgen column type → OIP datatype (columns without a numeric tensor form travel as BYTES). */
export const OIP_DATATYPES: Record<string, string> = {
  id: 'INT64',
  int: 'INT64',
  float: 'FP64',
  bool: 'BOOL',
  category: 'BYTES',
  string: 'BYTES',
  pattern: 'BYTES',
  uuid: 'BYTES',
  faker: 'BYTES',
  date: 'BYTES',
  datetime: 'BYTES',
}

const INT_RANGES: Record<string, [number, number]> = {
  INT8: [-128, 127],
  INT16: [-32768, 32767],
  INT32: [-2147483648, 2147483647],
  INT64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  UINT8: [0, 255],
  UINT16: [0, 65535],
  UINT32: [0, 4294967295],
  UINT64: [0, Number.MAX_SAFE_INTEGER],
}
const FLOATS = new Set(['FP16', 'FP32', 'FP64', 'BF16'])
export const KNOWN_DATATYPES = new Set(['BOOL', 'BYTES', ...Object.keys(INT_RANGES), ...FLOATS])

/** Parses `--inputs "x=age,income,score;y=plan"` (inputs separated by `;`). */
export function parseInputs(spec: string): { name: string; columns: string[] }[] {
  return spec
    .split(';')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((part) => {
      const m = /^([^=\s]+)\s*=\s*(.+)$/.exec(part)
      const columns = (m?.[2] ?? '')
        .split(',')
        .map((c) => c.trim())
        .filter((c) => c !== '')
      if (m === null || columns.length === 0)
        throw new GoldgenError(
          'USAGE',
          `malformed --inputs ${JSON.stringify(part)}: expected INPUT=COLUMN[,COLUMN…] (several inputs separated by ;)`,
        )
      return { name: m[1]!, columns }
    })
}

/** Parses `--outputs "probability=churn_prob,label=churn"` into expected column → output name. */
export function parseOutputs(spec: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const part of spec.split(',').map((s) => s.trim())) {
    if (part === '') continue
    const m = /^([^=\s]+)\s*=\s*([^=\s]+)$/.exec(part)
    if (m === null)
      throw new GoldgenError(
        'USAGE',
        `malformed --outputs ${JSON.stringify(part)}: expected OUTPUT=COLUMN (several separated by ,)`,
      )
    out[m[2]!] = m[1]!
  }
  return out
}

const numeric = (t: string) => t === 'int' || t === 'float' || t === 'id'
const isNumberText = (v: CellValue) => typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))

/** The default datatype of an input carrying `columns` of these goldgen types. */
export function defaultDatatype(types: string[]): string {
  if (types.every((t) => t === 'bool')) return 'BOOL'
  if (types.every((t) => t === 'int' || t === 'id')) return 'INT64'
  if (types.every(numeric)) return 'FP64'
  return 'BYTES'
}

/**
 * Why `datatype` cannot carry a column of goldgen type `type` with these values (undefined when
 * it can). A non-numeric column fits a numeric datatype when all its values are numbers in text.
 */
export function cannotCarry(
  datatype: string,
  type: string,
  values: readonly CellValue[],
): string | undefined {
  if (!KNOWN_DATATYPES.has(datatype)) return `${datatype} is not an Open Inference Protocol datatype`
  if (datatype === 'BYTES') return undefined
  const present = values.filter((v) => v !== null && !(typeof v === 'number' && Number.isNaN(v)))
  if (datatype === 'BOOL')
    return type === 'bool' || present.every((v) => typeof v === 'boolean')
      ? undefined
      : `BOOL cannot carry ${type} values`
  if (type === 'bool') return `${datatype} cannot carry true/false values (declare BOOL)`
  const asNumbers = present.map((v) => (typeof v === 'number' ? v : isNumberText(v) ? Number(v) : undefined))
  if (asNumbers.some((v) => v === undefined))
    return `${datatype} cannot carry ${type} values such as ${JSON.stringify(present[asNumbers.indexOf(undefined)])} (they travel as BYTES)`
  if (FLOATS.has(datatype)) return undefined
  const [lo, hi] = INT_RANGES[datatype]!
  if (type === 'float' && asNumbers.some((v) => Number.isFinite(v) && !Number.isInteger(v)))
    return `${datatype} cannot carry the fractions of a float column`
  const out = asNumbers.find((v) => Number.isFinite(v) && (v! < lo || v! > hi))
  if (out !== undefined) return `${datatype} cannot carry ${out} (its range is ${lo} to ${hi})`
  return undefined
}

/** A value as `datatype` holds it (numbers in text become numbers, values in BYTES become text). */
export function asDatatype(value: CellValue, datatype: string): unknown {
  if (value === null) return null
  if (datatype === 'BYTES') return typeof value === 'string' ? value : String(value)
  if (datatype === 'BOOL') return value
  return typeof value === 'string' && isNumberText(value) ? Number(value) : value
}

/** The goldgen type a value's JSON form suggests (for expected outputs, which carry no schema). */
export function typeOfValues(values: readonly CellValue[]): string {
  const present = values.filter((v) => v !== null)
  if (present.length > 0 && present.every((v) => typeof v === 'boolean')) return 'bool'
  if (present.length > 0 && present.every((v) => typeof v === 'number'))
    return present.every((v) => Number.isInteger(v)) ? 'int' : 'float'
  return 'string'
}

/** Every value of `column` across rows. */
export const columnValues = (rows: readonly DataRow[], column: string): CellValue[] =>
  rows.map((r) => r[column] ?? null)
