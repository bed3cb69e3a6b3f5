import { BLOCK_ROWS, blockRng } from '../src/core/random.ts'
import { uniqueTooSmall } from './numeric.ts'
import { checkPattern, patternLongest, patternSampler } from './pattern.ts'
import { permutation } from './permutation.ts'
import { defineGenerator, type SpecIssue } from './types.ts'

export const DEFAULT_ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'
export const DEFAULT_MIN_LENGTH = 1
export const DEFAULT_MAX_LENGTH = 16
/** The most bytes one block of one string column may hold (estimated at 2 bytes a character). */
export const MAX_BLOCK_BYTES = 256 * 1024 * 1024

/** Why strings of up to `chars` characters would make blocks too large, if they would. */
function blockTooLarge(chars: number, rows: number): string | undefined {
  const bytes = chars * 2 * Math.min(Math.max(rows, 1), BLOCK_ROWS)
  if (bytes <= MAX_BLOCK_BYTES) return undefined
  return `strings of up to ${chars} characters make blocks of up to ${Math.round(bytes / 2 ** 20)} MiB (${Math.min(rows, BLOCK_ROWS)} rows each); goldgen allows ${MAX_BLOCK_BYTES / 2 ** 20} MiB: use shorter strings`
}

/** Largest index space used for unique strings. */
const UNIQUE_SPACE = 2 ** 52

interface Shape {
  alphabet: string[]
  min: number
  max: number
}

function shapeOf(spec: {
  alphabet?: string | undefined
  min_length?: number | undefined
  max_length?: number | undefined
}): Shape {
  const min = spec.min_length ?? DEFAULT_MIN_LENGTH
  return {
    alphabet: Array.from(new Set(Array.from(spec.alphabet ?? DEFAULT_ALPHABET))),
    min,
    max: spec.max_length ?? Math.max(min, DEFAULT_MAX_LENGTH),
  }
}

/** How many strings of length min..max exist over the alphabet (capped at UNIQUE_SPACE). */
function spaceSize({ alphabet, min, max }: Shape): number {
  let total = 0
  for (let len = min; len <= max && total < UNIQUE_SPACE; len++) total += alphabet.length ** len
  return Math.min(total, UNIQUE_SPACE)
}

/** The k-th string of the space: lengths in increasing order, then base-|alphabet| digits. */
function nthString({ alphabet, min }: Shape, k: number): string {
  const a = alphabet.length
  let len = min
  let count = a ** len
  while (k >= count) {
    k -= count
    len++
    count = a ** len
  }
  let out = ''
  for (let i = 0; i < len; i++) {
    out += alphabet[k % a]
    k = Math.floor(k / a)
  }
  return out
}

/** Free strings: `pattern`, or characters from `alphabet` with a length in [min_length, max_length]. */
export const stringGenerator = defineGenerator({
  type: 'string',
  version: 1,
  kind: () => 'utf8',
  check(spec, { rows }) {
    const issues: SpecIssue[] = []
    if (spec.pattern !== undefined) {
      for (const key of ['min_length', 'max_length', 'alphabet'] as const) {
        if (spec[key] !== undefined)
          issues.push({ path: [key], message: `${key} cannot be combined with pattern; the pattern decides` })
      }
      const problem = checkPattern(spec.pattern) ?? blockTooLarge(patternLongest(spec.pattern), rows)
      if (problem !== undefined) issues.push({ path: ['pattern'], message: problem })
      if (spec.unique === true) {
        issues.push({
          path: ['unique'],
          message:
            'unique is not supported with pattern (goldgen cannot guarantee distinct matches); use alphabet and lengths, uuid or id',
        })
      }
      return issues
    }
    const shape = shapeOf(spec)
    if (shape.min > shape.max)
      issues.push({
        path: ['min_length'],
        message: `min_length (${shape.min}) must not exceed max_length (${shape.max})`,
      })
    else if (blockTooLarge(shape.max, rows) !== undefined)
      issues.push({
        path: [spec.max_length === undefined ? 'min_length' : 'max_length'],
        message: blockTooLarge(shape.max, rows)!,
      })
    else if (spec.unique === true && spaceSize(shape) < rows) {
      issues.push({
        path: ['unique'],
        message: uniqueTooSmall(rows, spaceSize(shape), 'the set of strings of those lengths'),
      })
    }
    return issues
  },
  create(spec, ctx) {
    if (spec.pattern !== undefined) {
      const sample = patternSampler(spec.pattern)
      return {
        block(index, length) {
          const rng = blockRng(ctx.seed, ctx.column, 'values', index)
          const out: string[] = new Array(length)
          for (let i = 0; i < length; i++) out[i] = sample(rng)
          return { kind: 'utf8', values: out }
        },
      }
    }
    const shape = shapeOf(spec)
    if (spec.unique === true) {
      const permute = permutation(spaceSize(shape), ctx.seed, ctx.column)
      return {
        block(index, length) {
          const out: string[] = new Array(length)
          for (let i = 0; i < length; i++) out[i] = nthString(shape, permute(index * BLOCK_ROWS + i))
          return { kind: 'utf8', values: out }
        },
      }
    }
    const { alphabet, min, max } = shape
    return {
      block(index, length) {
        const rng = blockRng(ctx.seed, ctx.column, 'values', index)
        const out: string[] = new Array(length)
        for (let i = 0; i < length; i++) {
          const len = min + rng.below(max - min + 1)
          let s = ''
          for (let j = 0; j < len; j++) s += alphabet[rng.below(alphabet.length)]
          out[i] = s
        }
        return { kind: 'utf8', values: out }
      },
    }
  },
})
