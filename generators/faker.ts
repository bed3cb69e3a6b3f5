import { allLocales, base, en, Faker, type LocaleDefinition } from '@faker-js/faker'
import { suggest } from '../schemas/parse.ts'
import { blockRng, librarySeed } from '../src/core/random.ts'
import { type Sampler, samplerFor } from './faker-sampled.ts'
import { defineGenerator, type SpecIssue } from './types.ts'

type Method = (...args: unknown[]) => unknown

/**
 * faker's `helpers.mustache` compiles a new RegExp for every key on every call (most of the
 * time of person.fullName). This version keeps the compiled RegExps and is otherwise the same
 * code, so output is byte-identical (test/faker.test.ts compares the two); it is installed on
 * goldgen's own Faker instances only.
 */
export function cachedMustache(): Faker['helpers']['mustache'] {
  const compiled = new Map<string, RegExp>()
  return (text, data) => {
    if (text == null) return ''
    let out: string = text
    for (const key in data) {
      let re = compiled.get(key)
      if (re === undefined) {
        re = new RegExp(`{{${key}}}`, 'g')
        compiled.set(key, re)
      }
      let value = data[key] as string | ((substring: string, ...args: unknown[]) => string)
      if (typeof value === 'string') value = value.replaceAll('$', '$$$$')
      out = out.replace(re, value as string)
    }
    return out
  }
}

export function makeFaker(locale: string | undefined): Faker {
  const chain: LocaleDefinition[] = []
  if (locale !== undefined) chain.push((allLocales as Record<string, LocaleDefinition>)[locale]!)
  chain.push(en, base)
  const faker = new Faker({ locale: chain })
  faker.helpers.mustache = cachedMustache()
  return faker
}

function resolve(faker: Faker, path: string): Method | undefined {
  let target: unknown = faker
  let owner: unknown
  for (const part of path.split('.')) {
    if (target === null || typeof target !== 'object' || !(part in target)) return undefined
    owner = target
    target = (target as Record<string, unknown>)[part]
  }
  return typeof target === 'function' ? (target as Method).bind(owner) : undefined
}

/** Faker values become strings: Dates as ISO 8601, other non-strings as JSON. */
function toText(value: unknown): string {
  if (typeof value === 'string') return value
  if (value instanceof Date) return value.toISOString()
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value)
  return JSON.stringify(value) ?? ''
}

/**
 * Any @faker-js/faker method by path (`internet.email`), seeded per block. Faker's own
 * stream is seeded from (seed, column, "values", block), so blocks stay independent.
 * Dates are relative to a fixed reference date so output does not change with the clock.
 */
export const fakerGenerator = defineGenerator({
  type: 'faker',
  // Version 2 (generators/faker-sampled.ts) is chosen by the spec's `version: 2`; version 1
  // stays the default, so recipes and goldens made with it regenerate unchanged.
  version: 2,
  versionOf: (spec) => spec.version ?? 1,
  kind: () => 'utf8',
  check(spec) {
    const issues: SpecIssue[] = []
    if (spec.locale !== undefined && !(spec.locale in allLocales)) {
      issues.push({
        path: ['locale'],
        message: `unknown faker locale ${JSON.stringify(spec.locale)}; expected one of ${Object.keys(allLocales).slice(0, 12).join(', ')}, …`,
      })
      return issues
    }
    const faker = makeFaker(spec.locale)
    const method = resolve(faker, spec.method)
    if (method === undefined) {
      const [module] = spec.method.split('.')
      const known =
        module !== undefined && module in faker
          ? Object.keys((faker as unknown as Record<string, object>)[module]!).filter(
              (k) => !k.startsWith('_'),
            )
          : []
      issues.push({
        path: ['method'],
        message:
          known.length > 0
            ? `faker has no method ${spec.method}${suggest(spec.method.split('.').at(-1) ?? '', known)}; ${module} has ${known.slice(0, 15).join(', ')}${known.length > 15 ? ', …' : ''}`
            : `faker has no method ${spec.method}; expected a path such as person.fullName or internet.email`,
      })
      return issues
    }
    const tooLarge = oversizedArg(spec.method, spec.args ?? [])
    if (tooLarge !== undefined) {
      issues.push({ path: ['args', ...tooLarge.path], message: tooLarge.message })
      return issues
    }
    try {
      faker.seed(1)
      faker.setDefaultRefDate(REFERENCE_DATE)
      const sample = toText(method(...(spec.args ?? [])))
      if (sample.length > MAX_FAKER_LENGTH)
        issues.push({
          path: ['args'],
          message: `faker ${spec.method} made a value of ${sample.length} characters; goldgen allows ${MAX_FAKER_LENGTH}: ask for less`,
        })
    } catch (e) {
      issues.push({
        path: [spec.args === undefined ? 'method' : 'args'],
        message: `faker ${spec.method} failed: ${(e as Error).message}`,
      })
    }
    if (spec.unique === true) {
      issues.push({
        path: ['unique'],
        message:
          'unique is not supported for faker columns (goldgen cannot guarantee distinct faker values); use uuid, id or a string column',
      })
    }
    return issues
  },
  create(spec, ctx) {
    const faker = makeFaker(spec.locale)
    const method = resolve(faker, spec.method)!
    const args = spec.args ?? []
    faker.setDefaultRefDate(REFERENCE_DATE)
    const sampler = spec.version === 2 ? cachedSampler(spec.locale, spec.method, args) : undefined
    if (sampler !== undefined)
      return {
        block(index, length) {
          const out: string[] = new Array(length)
          sampler.fill(blockRng(ctx.seed, ctx.column, 'values', index), out, length)
          return { kind: 'utf8', values: out }
        },
      }
    return {
      block(index, length) {
        faker.seed(librarySeed(ctx.seed, ctx.column, 'values', index))
        const out: string[] = new Array(length)
        for (let i = 0; i < length; i++) out[i] = toText(method(...args))
        return { kind: 'utf8', values: out }
      },
    }
  },
})

/** Samplers depend only on the locale's definitions and the method: made once per process. */
const samplers = new Map<string, Sampler | undefined>()
function cachedSampler(locale: string | undefined, method: string, args: unknown[]): Sampler | undefined {
  if (args.length > 0) return undefined
  const key = `${locale ?? ''}:${method}`
  if (!samplers.has(key)) samplers.set(key, samplerFor(makeFaker(locale), method, args))
  return samplers.get(key)
}

/** The longest faker value, and the largest count or length a faker argument may ask for. */
export const MAX_FAKER_LENGTH = 100_000

/**
 * A count or length in faker `args` that would make faker allocate without bound
 * (`string.alpha(1e9)`, `{ length: 1e9 }`, `{ count: { max: 1e9 } }`), found before faker runs.
 * Plain numbers are values, not sizes, for `number.`, `date.`, `finance.` and `datatype.` methods.
 */
function oversizedArg(
  method: string,
  args: unknown[],
): { path: (string | number)[]; message: string } | undefined {
  const sized = !/^(number|date|finance|datatype)\./.test(method)
  const big = (v: unknown) => typeof v === 'number' && !(Math.abs(v) <= MAX_FAKER_LENGTH)
  const message = (v: unknown) =>
    `${v} is more than the ${MAX_FAKER_LENGTH} goldgen allows for a count or length`
  const visit = (
    v: unknown,
    path: (string | number)[],
    size: boolean,
    depth: number,
  ): ReturnType<typeof oversizedArg> => {
    if (size && big(v)) return { path, message: message(v) }
    if (depth > 8 || typeof v !== 'object' || v === null) return undefined
    for (const [k, x] of Object.entries(v)) {
      const key = Array.isArray(v) ? Number(k) : k
      const found = visit(x, [...path, key], size || k === 'length' || k === 'count', depth + 1)
      if (found !== undefined) return found
    }
    return undefined
  }
  for (let i = 0; i < args.length; i++) {
    const found = visit(args[i], [i], sized && typeof args[i] === 'number', 0)
    if (found !== undefined) return found
  }
  return undefined
}

/** Faker's date methods count from this instant instead of "now", so output is reproducible. */
export const REFERENCE_DATE = '2025-01-01T00:00:00.000Z'
