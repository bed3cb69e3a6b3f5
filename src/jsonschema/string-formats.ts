/** Seeded strings for the JSON Schema `format`s goldgen knows (date, time, email, uri, uuid, …). */
import type { Rng } from '../core/random.ts'

const pad = (n: number, w = 2) => String(n).padStart(w, '0')
const hex = (rng: Rng, n: number) => {
  let s = ''
  for (let i = 0; i < n; i++) s += '0123456789abcdef'[rng.below(16)]
  return s
}
const date = (rng: Rng) => {
  const day = rng.below(365 * 60)
  return new Date(Date.UTC(1970, 0, 1) + day * 86_400_000).toISOString().slice(0, 10)
}
const time = (rng: Rng) => `${pad(rng.below(24))}:${pad(rng.below(60))}:${pad(rng.below(60))}Z`
const host = (rng: Rng) =>
  `${WORDS[rng.below(WORDS.length)]}${rng.below(100)}.example.${['com', 'org', 'net'][rng.below(3)]}`
const name = (rng: Rng) => `${WORDS[rng.below(WORDS.length)]}.${WORDS[rng.below(WORDS.length)]}`
const WORDS = [
  'alpha',
  'river',
  'stone',
  'maple',
  'delta',
  'orbit',
  'cedar',
  'pixel',
  'harbor',
  'quartz',
  'ember',
  'lumen',
]
const uuid = (rng: Rng) =>
  `${hex(rng, 8)}-${hex(rng, 4)}-4${hex(rng, 3)}-${'89ab'[rng.below(4)]}${hex(rng, 3)}-${hex(rng, 12)}`

/** Generators for the `format`s goldgen knows; others are generated as plain strings (with a warning at import). */
export const formats: Record<string, (rng: Rng) => string> = {
  date,
  time,
  'date-time': (rng) => `${date(rng)}T${time(rng)}`,
  duration: (rng) => `P${1 + rng.below(30)}DT${rng.below(24)}H`,
  email: (rng) => `${name(rng)}@${host(rng)}`,
  'idn-email': (rng) => `${name(rng)}@${host(rng)}`,
  hostname: host,
  'idn-hostname': host,
  ipv4: (rng) => `${rng.below(256)}.${rng.below(256)}.${rng.below(256)}.${rng.below(256)}`,
  ipv6: (rng) => Array.from({ length: 8 }, () => hex(rng, 4)).join(':'),
  uri: (rng) => `https://${host(rng)}/${WORDS[rng.below(WORDS.length)]}/${rng.below(10_000)}`,
  'uri-reference': (rng) => `/${WORDS[rng.below(WORDS.length)]}/${rng.below(10_000)}`,
  iri: (rng) => `https://${host(rng)}/${WORDS[rng.below(WORDS.length)]}`,
  'iri-reference': (rng) => `/${WORDS[rng.below(WORDS.length)]}`,
  'uri-template': (rng) => `https://${host(rng)}/{id}`,
  uuid,
  'json-pointer': (rng) => `/${WORDS[rng.below(WORDS.length)]}/${rng.below(10)}`,
  'relative-json-pointer': (rng) => `${rng.below(3)}/${WORDS[rng.below(WORDS.length)]}`,
  regex: (rng) => `^${WORDS[rng.below(WORDS.length)]}[0-9]+$`,
  byte: (rng) => Buffer.from(hex(rng, 12), 'hex').toString('base64'),
  int32: (rng) => String(rng.below(2 ** 31)),
  int64: (rng) => String(rng.below(2 ** 53)),
  float: (rng) => String(rng.below(100_000) / 100),
  double: (rng) => String(rng.below(100_000) / 100),
  password: (rng) => hex(rng, 16),
  binary: (rng) => hex(rng, 16),
}
