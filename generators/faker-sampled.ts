/**
 * Version 2 of faker columns for the name and e-mail methods: values sampled straight from
 * faker's own locale definitions with goldgen's PRNG, following what faker's code does with them
 * (the same lists, templates and weights, the same choices in the same proportions), without
 * calling faker per value. `person.firstName`, `person.lastName`, `person.fullName`,
 * `internet.username` and `internet.email` (without `args`) are sampled; `samplerFor` returns
 * undefined for anything else, and version 2 then calls faker as version 1 does.
 * test/faker-sampled.test.ts checks the value distribution against faker's on 50,000 values.
 *
 * Over 400 lines on purpose: one method's sampler per function, sharing the list, weight and
 * template helpers above them; split apart they would only pass the same scratch state around.
 */
import type { Faker } from '@faker-js/faker'
import type { Rng } from '../src/core/random.ts'

/** Words picked uniformly, with the forms faker's `internet.username` and `email` give them. */
interface Words {
  raw: string[]
  user: string[]
  mail: string[]
}

/** Where a name comes from for one sex: one list, or two lists chosen by weight (faker's rule). */
interface Source {
  lists: Words[]
  /** Cumulative weights of `lists` (empty when there is one list). */
  cumulative: number[]
}

/** A template (`{{person.last_name.generic}}-{{person.last_name.generic}}`): literals and picks. */
interface Template {
  literals: string[]
  literalsUser: string[]
  literalsMail: string[]
  /** picks[i] is drawn between literals[i] and literals[i + 1]. */
  picks: Words[]
}

/** A template chosen by weight, per sex. */
interface TemplateSource {
  templates: Template[]
  cumulative: number[]
}

type Sex = 0 | 1 // female, male
type Slot = 'person.prefix' | 'person.firstName' | 'person.middleName' | 'person.lastName' | 'person.suffix'
const SLOTS: readonly Slot[] = [
  'person.prefix',
  'person.firstName',
  'person.middleName',
  'person.lastName',
  'person.suffix',
]

/** A full-name template: literal text between slots. */
interface NameTemplate {
  literals: string[]
  slots: Slot[]
}

export interface Sampler {
  fill(rng: Rng, out: string[], length: number): void
}

const SAMPLED = new Set([
  'person.firstName',
  'person.lastName',
  'person.fullName',
  'internet.username',
  'internet.email',
])

/**
 * The sampler for a method, or undefined when version 2 must call faker (args, other methods,
 * unusual definitions). `faker` must be an instance of its own: the sampler alters it.
 */
export function samplerFor(faker: Faker, method: string, args: readonly unknown[]): Sampler | undefined {
  if (args.length > 0 || !SAMPLED.has(method)) return undefined
  // Names need no username forms; making them costs a faker call per word.
  const forms = method.startsWith('internet.') ? usernameForms(faker) : (w: string) => ({ user: w, mail: w })
  const defs = faker.definitions as unknown as {
    person: Record<string, unknown>
    internet: Record<string, unknown>
  }
  const first = sexSources(defs.person.first_name, forms)
  const last = lastNameSources(faker, forms)
  if (first === undefined || last === undefined) return undefined
  switch (method) {
    case 'person.firstName':
      return { fill: (rng, out, n) => fillFirst(rng, first, out, n) }
    case 'person.lastName':
      return { fill: (rng, out, n) => fillLast(rng, last, out, n) }
    case 'person.fullName':
      return fullNameSampler(defs.person, forms, first, last)
    default: {
      if (method === 'internet.username') return { fill: (rng, out, n) => fillUser(rng, first, last, out, n) }
      const providers = stringList(defs.internet.free_email)
      if (providers === undefined) return undefined
      return { fill: (rng, out, n) => fillEmail(rng, first, last, providers, out, n) }
    }
  }
}

/**
 * What `internet.username` turns a word into (diacritics dropped, transliterated, non-ASCII as
 * base-36 code points, quotes and spaces removed), taken from faker itself: `faker` (an instance
 * of the sampler's own) gets an `arrayElement` that always takes the template
 * `${first}${sep}${last}` and the separator `_`, so `username(word, '')` is the word's form and `_`.
 */
function usernameForms(faker: Faker): (word: string) => { user: string; mail: string } {
  faker.helpers.arrayElement = (<T>(list: readonly T[]) => list[1]!) as Faker['helpers']['arrayElement']
  faker.seed(1)
  const cache = new Map<string, { user: string; mail: string }>()
  return (word) => {
    let forms = cache.get(word)
    if (forms === undefined) {
      const user = faker.internet.username({ firstName: word, lastName: '' })
      if (!user.endsWith('_')) throw new Error(`faker's username template changed (${JSON.stringify(user)})`)
      const form = user.slice(0, -1)
      forms = { user: form, mail: form.replaceAll(/[^A-Za-z0-9._+-]+/g, '') }
      cache.set(word, forms)
    }
    return forms
  }
}

function stringList(v: unknown): string[] | undefined {
  return Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string')
    ? (v as string[])
    : undefined
}

function words(list: string[], forms: ReturnType<typeof usernameForms>): Words {
  const f = list.map(forms)
  return { raw: list, user: f.map((x) => x.user), mail: f.map((x) => x.mail) }
}

/**
 * faker's choice of list for a sex: the sex's own list and the generic one weighted
 * 3·√(own length) : √(generic length); either alone when the other is missing.
 */
function sexSources(def: unknown, forms: ReturnType<typeof usernameForms>): [Source, Source] | undefined {
  if (def === null || typeof def !== 'object') return undefined
  const d = def as Record<string, unknown>
  const generic = stringList(d.generic)
  const one = (own: string[] | undefined): Source | undefined => {
    if (own === undefined)
      return generic === undefined ? undefined : { lists: [words(generic, forms)], cumulative: [] }
    if (generic === undefined) return { lists: [words(own, forms)], cumulative: [] }
    const a = 3 * Math.sqrt(own.length)
    return {
      lists: [words(own, forms), words(generic, forms)],
      cumulative: [a, a + Math.sqrt(generic.length)],
    }
  }
  const female = one(stringList(d.female))
  const male = one(stringList(d.male))
  return female === undefined || male === undefined ? undefined : [female, male]
}

/** faker's `weightedArrayElement`: a uniform float in [0, total), the first cumulative weight above it. */
function weighted(rng: Rng, cumulative: number[]): number {
  const x = rng.next() * cumulative[cumulative.length - 1]!
  for (let i = 0; i < cumulative.length - 1; i++) if (x < cumulative[i]!) return i
  return cumulative.length - 1
}

function pickList(rng: Rng, s: Source): Words {
  return s.cumulative.length === 0 ? s.lists[0]! : s.lists[weighted(rng, s.cumulative)]!
}

/**
 * Last names: `last_name_pattern` templates when the locale has them (resolved as faker's
 * `helpers.fake` does: each `{{person.last_name.x}}` a uniform pick of that list), else the
 * `last_name` lists. Undefined when a template names anything else.
 */
function lastNameSources(
  faker: Faker,
  forms: ReturnType<typeof usernameForms>,
): [TemplateSource, TemplateSource] | undefined {
  const raw = faker.definitions.raw as unknown as { person?: Record<string, unknown> }
  const person = (faker.definitions as unknown as { person: Record<string, unknown> }).person
  const patterns = raw.person?.last_name_pattern
  if (patterns === undefined || patterns === null) {
    const lists = sexSources(person.last_name, forms)
    if (lists === undefined) return undefined
    const plain = (s: Source): TemplateSource => ({
      templates: s.lists.map((w) => ({
        literals: ['', ''],
        literalsUser: ['', ''],
        literalsMail: ['', ''],
        picks: [w],
      })),
      cumulative: s.cumulative.length === 0 ? [1] : s.cumulative,
    })
    return [plain(lists[0]), plain(lists[1])]
  }
  const lastNames = person.last_name as Record<string, unknown> | undefined
  const compile = (list: unknown): TemplateSource | undefined => {
    if (!Array.isArray(list) || list.length === 0) return undefined
    const templates: Template[] = []
    const cumulative: number[] = []
    let total = 0
    for (const entry of list as { value: unknown; weight: unknown }[]) {
      if (typeof entry.value !== 'string' || typeof entry.weight !== 'number' || !(entry.weight > 0))
        return undefined
      const t = compileTemplate(entry.value, lastNames, forms)
      if (t === undefined) return undefined
      templates.push(t)
      total += entry.weight
      cumulative.push(total)
    }
    return { templates, cumulative }
  }
  // faker's choice between the sex's templates and the generic ones, as for first names.
  const d = patterns as Record<string, unknown>
  const generic = d.generic === undefined ? undefined : compile(d.generic)
  if (d.generic !== undefined && generic === undefined) return undefined
  const forSex = (key: 'female' | 'male'): TemplateSource | undefined => {
    if (d[key] === undefined) return generic
    const own = compile(d[key])
    if (own === undefined || generic === undefined) return own
    // Two template lists chosen by weight, flattened into one weighted list of templates.
    const a = 3 * Math.sqrt(own.templates.length)
    const b = Math.sqrt(generic.templates.length)
    const share = (s: TemplateSource, w: number) =>
      s.cumulative.map((c, i) => ((c - (s.cumulative[i - 1] ?? 0)) * w) / s.cumulative.at(-1)!)
    let acc = 0
    return {
      templates: [...own.templates, ...generic.templates],
      cumulative: [...share(own, a), ...share(generic, b)].map((w) => (acc += w)),
    }
  }
  const female = forSex('female')
  const male = forSex('male')
  return female === undefined || male === undefined ? undefined : [female, male]
}

function compileTemplate(
  text: string,
  lastNames: Record<string, unknown> | undefined,
  forms: ReturnType<typeof usernameForms>,
): Template | undefined {
  const literals: string[] = []
  const picks: Words[] = []
  let rest = text
  for (;;) {
    const start = rest.search(/{{[a-z]/)
    const end = start === -1 ? -1 : rest.indexOf('}}', start)
    if (start === -1 || end === -1) break
    const m = /^person\.last_name\.([a-z]+)$/.exec(rest.slice(start + 2, end))
    const list = m === null ? undefined : stringList(lastNames?.[m[1]!])
    if (list === undefined || list.some((w) => w.includes('{{'))) return undefined
    literals.push(rest.slice(0, start))
    picks.push(words(list, forms))
    rest = rest.slice(end + 2)
  }
  literals.push(rest)
  if (picks.length === 0) return undefined
  const f = literals.map(forms)
  return { literals, literalsUser: f.map((x) => x.user), literalsMail: f.map((x) => x.mail), picks }
}

// The last name drawn by `drawLast`, in its three forms (module scratch, so the loops allocate nothing else).
let lastRaw = ''
let lastUser = ''
let lastMail = ''

function drawLast(rng: Rng, s: TemplateSource): void {
  const t = s.templates.length === 1 ? s.templates[0]! : s.templates[weighted(rng, s.cumulative)]!
  let raw = t.literals[0]!
  let user = t.literalsUser[0]!
  let mail = t.literalsMail[0]!
  for (let i = 0; i < t.picks.length; i++) {
    const w = t.picks[i]!
    const k = rng.below(w.raw.length)
    raw += w.raw[k]! + t.literals[i + 1]!
    user += w.user[k]! + t.literalsUser[i + 1]!
    mail += w.mail[k]! + t.literalsMail[i + 1]!
  }
  lastRaw = raw
  lastUser = user
  lastMail = mail
}

function fillFirst(rng: Rng, first: [Source, Source], out: string[], n: number): void {
  for (let i = 0; i < n; i++) {
    const w = pickList(rng, first[rng.below(2) as Sex])
    out[i] = w.raw[rng.below(w.raw.length)]!
  }
}

function fillLast(rng: Rng, last: [TemplateSource, TemplateSource], out: string[], n: number): void {
  for (let i = 0; i < n; i++) {
    drawLast(rng, last[rng.below(2) as Sex])
    out[i] = lastRaw
  }
}

/**
 * `internet.username()`: a first name and a last name (each for a sex of its own), `.` or `_`,
 * a number 0–99, and one of `first sep last number`, `first sep last`, `first number`.
 */
function fillUser(
  rng: Rng,
  first: [Source, Source],
  last: [TemplateSource, TemplateSource],
  out: string[],
  n: number,
): void {
  for (let i = 0; i < n; i++) {
    const w = pickList(rng, first[rng.below(2) as Sex])
    const f = w.user[rng.below(w.raw.length)]!
    drawLast(rng, last[rng.below(2) as Sex])
    const sep = rng.below(2) === 0 ? '.' : '_'
    const num = rng.below(100)
    const shape = rng.below(3)
    out[i] =
      shape === 0 ? `${f}${sep}${lastUser}${num}` : shape === 1 ? `${f}${sep}${lastUser}` : `${f}${num}`
  }
}

/** `internet.email()`: the username's e-mail form (at most 50 characters, no stray dots) at a free provider. */
function fillEmail(
  rng: Rng,
  first: [Source, Source],
  last: [TemplateSource, TemplateSource],
  providers: string[],
  out: string[],
  n: number,
): void {
  for (let i = 0; i < n; i++) {
    const provider = providers[rng.below(providers.length)]!
    const w = pickList(rng, first[rng.below(2) as Sex])
    const f = w.mail[rng.below(w.raw.length)]!
    drawLast(rng, last[rng.below(2) as Sex])
    const sep = rng.below(2) === 0 ? '.' : '_'
    const num = rng.below(100)
    const shape = rng.below(3)
    let user =
      shape === 0 ? `${f}${sep}${lastMail}${num}` : shape === 1 ? `${f}${sep}${lastMail}` : `${f}${num}`
    if (
      user.length > 50 ||
      user.charCodeAt(0) === 46 ||
      user.charCodeAt(user.length - 1) === 46 ||
      user.includes('..')
    ) {
      user = user
        .substring(0, 50)
        .replaceAll(/\.{2,}/g, '.')
        .replace(/^\./, '')
        .replace(/\.$/, '')
    }
    out[i] = `${user}@${provider}`
  }
}

/** `person.fullName()`: a sex, its first and last name, and a weighted template of prefix/first/middle/last/suffix. */
function fullNameSampler(
  person: Record<string, unknown>,
  forms: ReturnType<typeof usernameForms>,
  first: [Source, Source],
  last: [TemplateSource, TemplateSource],
): Sampler | undefined {
  const patterns = person.name
  if (!Array.isArray(patterns) || patterns.length === 0) return undefined
  const templates: NameTemplate[] = []
  const cumulative: number[] = []
  let total = 0
  for (const entry of patterns as { value: unknown; weight: unknown }[]) {
    if (typeof entry.value !== 'string' || typeof entry.weight !== 'number' || !(entry.weight > 0))
      return undefined
    const t = compileName(entry.value)
    if (t === undefined) return undefined
    templates.push(t)
    total += entry.weight
    cumulative.push(total)
  }
  const used = new Set(templates.flatMap((t) => t.slots))
  const prefix = used.has('person.prefix') ? sexSources(person.prefix, forms) : undefined
  const middle = used.has('person.middleName') ? sexSources(person.middle_name, forms) : undefined
  const suffixes = used.has('person.suffix') ? stringList(person.suffix) : undefined
  if (
    (used.has('person.prefix') && prefix === undefined) ||
    (used.has('person.middleName') && middle === undefined) ||
    (used.has('person.suffix') && suffixes === undefined)
  )
    return undefined
  const pick = (rng: Rng, s: Source) => {
    const w = pickList(rng, s)
    return w.raw[rng.below(w.raw.length)]!
  }
  return {
    fill(rng, out, n) {
      for (let i = 0; i < n; i++) {
        const sex = rng.below(2) as Sex
        const f = pick(rng, first[sex])
        drawLast(rng, last[sex])
        const t = templates[weighted(rng, cumulative)]!
        let s = t.literals[0]!
        for (let k = 0; k < t.slots.length; k++) {
          const slot = t.slots[k]!
          const v =
            slot === 'person.firstName'
              ? f
              : slot === 'person.lastName'
                ? lastRaw
                : slot === 'person.prefix'
                  ? pick(rng, prefix![sex])
                  : slot === 'person.middleName'
                    ? pick(rng, middle![sex])
                    : suffixes![rng.below(suffixes!.length)]!
          s += v + t.literals[k + 1]!
        }
        out[i] = s
      }
    },
  }
}

/** A `person.name` template as faker's mustache fills it; undefined when it holds other `{{…}}`. */
function compileName(text: string): NameTemplate | undefined {
  const literals: string[] = []
  const slots: Slot[] = []
  let rest = text
  for (;;) {
    const start = rest.indexOf('{{')
    if (start === -1) break
    const end = rest.indexOf('}}', start)
    const key = rest.slice(start + 2, end) as Slot
    if (end === -1 || !SLOTS.includes(key)) return undefined
    literals.push(rest.slice(0, start))
    slots.push(key)
    rest = rest.slice(end + 2)
  }
  literals.push(rest)
  return { literals, slots }
}
