/**
 * Faker columns, version 2 (generators/faker-sampled.ts): the sampled methods give the same
 * distribution of values as faker itself (version 1) on 50,000 values per method and locale,
 * are deterministic and block-independent, and version 1 stays the default and unchanged.
 */
import { base, de, en, Faker } from '@faker-js/faker'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { fakerGenerator, makeFaker } from '../generators/faker.ts'
import { samplerFor } from '../generators/faker-sampled.ts'
import type { ColumnOf } from '../schemas/language.ts'
import { createGoldgen } from '../src/index.ts'

const N = 50_000

function values(spec: ColumnOf<'faker'>, seed: number, rows = N): string[] {
  const g = fakerGenerator.create(spec, { seed, column: 'c' })
  const out: string[] = []
  for (let b = 0; b * 65_536 < rows; b++) {
    const block = g.block(b, Math.min(65_536, rows - b * 65_536))
    out.push(...(block.values as string[]))
  }
  return out
}

function counts(xs: string[]): Map<string, number> {
  const m = new Map<string, number>()
  for (const x of xs) m.set(x, (m.get(x) ?? 0) + 1)
  return m
}

/** Total variation distance between two samples' empirical distributions. */
function tvd(a: string[], b: string[]): number {
  const ca = counts(a)
  const cb = counts(b)
  let sum = 0
  for (const k of new Set([...ca.keys(), ...cb.keys()]))
    sum += Math.abs((ca.get(k) ?? 0) / a.length - (cb.get(k) ?? 0) / b.length)
  return sum / 2
}

/**
 * Two-sample chi-square test of homogeneity on a feature with few categories; true when the
 * samples are consistent with one distribution at p = 1e-4 (Wilson–Hilferty quantile).
 */
function sameByChiSquare(a: string[], b: string[]): { ok: boolean; stat: number; critical: number } {
  const ca = counts(a)
  const cb = counts(b)
  const keys = [...new Set([...ca.keys(), ...cb.keys()])]
  let stat = 0
  let df = -1
  for (const k of keys) {
    const x = ca.get(k) ?? 0
    const y = cb.get(k) ?? 0
    const ex = ((x + y) * a.length) / (a.length + b.length)
    const ey = ((x + y) * b.length) / (a.length + b.length)
    if (ex + ey < 10) continue // sparse cells carry no power and break the approximation
    stat += (x - ex) ** 2 / ex + (y - ey) ** 2 / ey
    df++
  }
  const z = 3.719 // upper 1e-4 normal quantile
  const critical = df <= 0 ? 0 : df * (1 - 2 / (9 * df) + z * Math.sqrt(2 / (9 * df))) ** 3
  return { ok: stat <= critical, stat, critical }
}

/** Word count, prefix, suffix: the template a full name came from. */
const nameShape = (s: string) => {
  const w = s.split(' ')
  return `${w.length}:${/\.$/.test(w[0]!) ? 'prefix' : ''}:${/^(Jr\.|Sr\.|I|II|III|IV|V|MD|DDS|PhD|DVM)$/.test(w.at(-1)!) ? 'suffix' : ''}`
}
/** The e-mail's provider, separator, whether it ends in a number, and the number's length. */
const emailShape = (s: string) => {
  const [user, provider] = s.split('@') as [string, string]
  const digits = /\d*$/.exec(user)![0]
  return `${provider}:${/[._]/.exec(user)?.[0] ?? '-'}:${digits.length}`
}
const parts = (s: string) => s.split('@')[0]!.replace(/\d+$/, '').split(/[._]/)

const cases: { locale?: string; method: string; features: [string, (s: string) => string][] }[] = [
  {
    method: 'person.fullName',
    features: [
      ['shape', nameShape],
      ['first word', (s) => s.split(' ')[0]!],
      ['last word', (s) => s.split(' ').at(-1)!],
    ],
  },
  {
    locale: 'de',
    method: 'person.fullName',
    features: [
      ['shape', (s) => String(s.split(' ').length)],
      ['last word', (s) => s.split(' ').at(-1)!],
    ],
  },
  {
    method: 'internet.email',
    features: [
      ['shape', emailShape],
      ['first part', (s) => parts(s)[0]!],
      ['last part', (s) => parts(s).at(-1)!],
    ],
  },
  {
    locale: 'de',
    method: 'internet.email',
    features: [
      ['shape', emailShape],
      ['first part', (s) => parts(s)[0]!],
    ],
  },
  {
    method: 'person.lastName',
    features: [
      ['hyphenated', (s) => String(s.includes('-'))],
      ['value', (s) => s],
    ],
  },
  { locale: 'ja', method: 'person.fullName', features: [['value', (s) => s]] },
  { method: 'internet.username', features: [['shape', (s) => emailShape(`${s}@x`)]] },
]

describe('faker version 2: sampled from the locale definitions', () => {
  for (const c of cases) {
    const label = `${c.method}${c.locale === undefined ? '' : ` (${c.locale})`}`
    it(`${label}: same distribution as faker on ${N.toLocaleString('en-US')} values`, () => {
      const spec = { type: 'faker', method: c.method, ...(c.locale ? { locale: c.locale } : {}) } as const
      const v1 = values(spec, 1)
      const v2 = values({ ...spec, version: 2 }, 3)
      // Sampling noise at this size, from a second sample of version 2 (faker samples are slow).
      const v2again = values({ ...spec, version: 2 }, 4)
      expect(v2).not.toEqual(v1)
      for (const [name, f] of c.features) {
        const a = v1.map(f)
        const b = v2.map(f)
        const noise = tvd(b, v2again.map(f))
        // The distance to faker is no larger than the sample-to-sample distance of one distribution.
        expect(tvd(a, b), `${label} ${name}: TVD of two samples ${noise.toFixed(4)}`).toBeLessThanOrEqual(
          noise * 1.15 + 0.005,
        )
        const chi = sameByChiSquare(a, b)
        if (new Set(a).size <= 200)
          expect(
            chi.ok,
            `${label} ${name}: chi-square ${chi.stat.toFixed(1)} > ${chi.critical.toFixed(1)}`,
          ).toBe(true)
      }
    })
  }

  it('samples every method it claims for en and de, and declines args and other methods', () => {
    for (const locale of [undefined, 'de', 'fr', 'ja']) {
      for (const m of [
        'person.firstName',
        'person.lastName',
        'person.fullName',
        'internet.username',
        'internet.email',
      ])
        expect(samplerFor(makeFaker(locale), m, []), `${m} ${locale}`).toBeDefined()
    }
    expect(samplerFor(makeFaker(undefined), 'person.fullName', [{ sex: 'female' }])).toBeUndefined()
    expect(samplerFor(makeFaker(undefined), 'location.city', [])).toBeUndefined()
  })

  it('a name and a last name become the username parts faker makes of them', () => {
    // The sampler transliterates first and last names separately; faker does it on the whole
    // username. They agree when faker's username of (first, last) starts with our two parts.
    const theirs = new Faker({ locale: [de, en, base] })
    const names = [
      ...theirs.definitions.person.first_name.female!,
      ...theirs.definitions.person.last_name.generic!,
    ]
    const sampler = samplerFor(makeFaker('de'), 'internet.username', [])!
    expect(sampler).toBeDefined()
    theirs.seed(7)
    for (let i = 0; i < 300; i++) {
      const f = theirs.helpers.arrayElement(names)
      const l = theirs.helpers.arrayElement(names)
      const user = theirs.internet.username({ firstName: f, lastName: l })
      const solo = (w: string) => theirs.internet.username({ firstName: w, lastName: w }).split(/[._]/)[0]!
      expect([`${solo(f)}.${solo(l)}`, `${solo(f)}_${solo(l)}`]).toContain(user.replace(/\d+$/, ''))
    }
  })

  it('is deterministic and block-independent', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('person.fullName', 'internet.email', 'person.lastName'),
        fc.integer({ min: 0, max: 2 ** 31 }),
        fc.integer({ min: 0, max: 20 }),
        (method, seed, block) => {
          const spec = { type: 'faker', method, version: 2 } as const
          const a = fakerGenerator.create(spec, { seed, column: 'x' })
          const b = fakerGenerator.create(spec, { seed, column: 'x' })
          b.block(block + 1, 100)
          expect(b.block(block, 500).values).toEqual(a.block(block, 500).values)
          expect(a.block(block, 50).values).toEqual((a.block(block, 500).values as string[]).slice(0, 50))
        },
      ),
      { numRuns: 25 },
    )
  })

  it('version 1 stays the default; version 2 of other methods is version 1; the manifest names the version', async () => {
    const v1 = values({ type: 'faker', method: 'person.fullName' }, 5, 1000)
    expect(values({ type: 'faker', method: 'person.fullName', version: 1 }, 5, 1000)).toEqual(v1)
    const city = { type: 'faker', method: 'location.city' } as const
    expect(values({ ...city, version: 2 }, 5, 1000)).toEqual(values(city, 5, 1000))
    const goldgen = createGoldgen()
    const schema = goldgen.defineSchema({
      goldgen: 1,
      columns: {
        a: { type: 'faker', method: 'person.fullName' },
        b: { type: 'faker', method: 'person.fullName', version: 2 },
      },
    })
    const { manifest } = await goldgen.generateBuffer(schema, { rows: 10, format: 'csv' })
    expect(manifest.columns.a!.generator).toEqual({ type: 'faker', version: 1 })
    expect(manifest.columns.b!.generator).toEqual({ type: 'faker', version: 2 })
  })

  it('rejects a version goldgen does not have, naming the key', () => {
    const goldgen = createGoldgen()
    let issues: { path: (string | number)[] }[] = []
    try {
      goldgen.defineSchema({
        goldgen: 1,
        columns: { a: { type: 'faker', method: 'person.fullName', version: 3 } },
      })
    } catch (e) {
      issues = (e as { issues: typeof issues }).issues
    }
    expect(issues.map((i) => i.path.join('.'))).toEqual(['columns.a.version'])
  })
})
