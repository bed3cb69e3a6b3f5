/**
 * The contract runner's pure parts: SLA parsing and judging, load figures, JUnit escaping, JSON
 * with NaN/±Infinity, leak detection in error bodies, column mapping and datatypes, and the OIP
 * adapter's bodies checked against the protocol's published schema.
 */

import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { figuresOf, quantile } from '../src/contract/load.ts'
import { cannotCarry, parseInputs, parseOutputs } from '../src/contract/mapping.ts'
import { oip } from '../src/contract/protocols/oip.ts'
import { OIP_SCHEMAS } from '../src/contract/protocols/oip-spec.ts'
import { xmlEscape } from '../src/contract/report/junit.ts'
import { formatSla, judgeSla, parseSla, SLA_METRICS } from '../src/contract/sla.ts'
import { leakIn, parseLenientJson, stringifyNonFinite } from '../src/contract/values.ts'
import { GoldgenError } from '../src/index.ts'
import { ROOT } from './helpers.ts'

const SPEC = parse(
  readFileSync(join(ROOT, 'test/fixtures/open-inference-protocol/open_inference_rest.yaml'), 'utf8'),
)

/** A validator for one of the published spec's schemas (ajv over the YAML file itself). */
function specValidator(name: string) {
  const require = createRequire(import.meta.url)
  const Ajv = require('ajv').default as typeof import('ajv').default
  const ajv = new Ajv({ strict: false, allErrors: true })
  ajv.addSchema({ $id: 'spec', components: SPEC.components })
  return ajv.getSchema(`spec#/components/schemas/${name}`)!
}

describe('SLA', () => {
  const bound = fc.record({
    metric: fc.constantFrom(...SLA_METRICS),
    op: fc.constantFrom('<=', '<', '>=', '>'),
    value: fc.double({ min: 0, max: 1e6, noNaN: true, noDefaultInfinity: true }),
  })
  it('reads back what it writes', () => {
    fc.assert(
      fc.property(fc.array(bound, { minLength: 1, maxLength: 6 }), (sla) => {
        expect(parseSla(formatSla(sla))).toEqual(sla)
      }),
    )
  })
  it('reads units and percentages', () => {
    expect(parseSla('p99<=50ms, p50<=0.01s,p95<200us,error_rate<=0.1%,rps>=200')).toEqual([
      { metric: 'p99', op: '<=', value: 50 },
      { metric: 'p50', op: '<=', value: 10 },
      { metric: 'p95', op: '<', value: 0.2 },
      { metric: 'error_rate', op: '<=', value: 0.001 },
      { metric: 'rps', op: '>=', value: 200 },
    ])
  })
  it('rejects malformed bounds with a usage error naming them', () => {
    for (const bad of ['p99<=', 'latency<=5ms', 'error_rate<=5ms', 'rps>=10ms', 'p99=50ms', '', 'p50<=5%']) {
      const e = (() => {
        try {
          parseSla(bad)
          return undefined
        } catch (err) {
          return err
        }
      })()
      expect(e).toBeInstanceOf(GoldgenError)
      expect((e as GoldgenError).code).toBe('USAGE')
    }
  })
  it('judges every bound by its operator', () => {
    const figures = { ...figuresOf(new Float64Array([10, 20, 30]), 4, 1, 1) }
    const verdicts = judgeSla(parseSla('p50<=20ms,p50<20ms,max>=30ms,error_rate<=0.2,rps>2'), figures)
    expect(verdicts.map((v) => v.ok)).toEqual([true, false, true, false, true])
  })
})

describe('load figures', () => {
  it('take nearest-rank quantiles, the mean, the error rate and the throughput', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1e4, noNaN: true }), { minLength: 1, maxLength: 300 }),
        fc.nat(50),
        (xs, errors) => {
          const sorted = [...xs].sort((a, b) => a - b)
          const f = figuresOf(new Float64Array(xs), xs.length + errors, errors, 2)
          for (const [q, key] of [
            [0.5, 'p50'],
            [0.99, 'p99'],
          ] as const) {
            const k = Math.max(1, Math.ceil(q * xs.length))
            expect(f[key]).toBeCloseTo(sorted[k - 1]!, 2)
          }
          expect(f.max).toBeCloseTo(sorted.at(-1)!, 2)
          expect(f.error_rate).toBe(errors / (xs.length + errors))
          expect(f.rps).toBeCloseTo(xs.length / 2, 2)
        },
      ),
    )
    expect(quantile(new Float64Array(0), 0.5)).toBe(0)
  })
})

describe('wire values', () => {
  const value = fc.letrec((tie) => ({
    v: fc.oneof(
      { depthSize: 'small' },
      fc.double().map((x) => (Object.is(x, -0) ? 0 : x)), // JSON has no -0
      fc.string(),
      fc.boolean(),
      fc.constant(null),
      fc.array(tie('v'), { maxLength: 4 }),
      fc.dictionary(fc.string(), tie('v'), { maxKeys: 4 }),
    ),
  })).v
  it('JSON with NaN/±Infinity tokens reads back equal (strings that look like tokens stay strings)', () => {
    fc.assert(
      fc.property(value, (v) => {
        expect(parseLenientJson(stringifyNonFinite(v))).toEqual(v)
      }),
    )
    expect(parseLenientJson('{"a": NaN, "b": [-Infinity, "NaN"]}')).toEqual({
      a: Number.NaN,
      b: [Number.NEGATIVE_INFINITY, 'NaN'],
    })
    expect(parseLenientJson('<html>')).toBeUndefined()
  })
  it('spots stack traces and internal paths, not ordinary messages', () => {
    expect(leakIn('Traceback (most recent call last):\n  File "/srv/app.py", line 3')).toBe(
      'a Python traceback',
    )
    expect(leakIn('TypeError: x\n    at handler (/srv/app/server.js:10:5)')).toBe('a JavaScript stack trace')
    expect(leakIn('cannot open /home/deploy/models/churn.pkl')).toMatch(/^an internal path/)
    expect(leakIn('{"error": "row 0: age must be between 18 and 90"}')).toBeUndefined()
    expect(leakIn('{"error_code": "BAD_REQUEST", "message": "missing input plan"}')).toBeUndefined()
  })
  it('escapes any text for XML so it reads back unchanged', () => {
    const fromXml = (s: string) =>
      s.replace(
        /&(lt|gt|quot|apos|amp);/g,
        (_m, e: string) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[e]!,
      )
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (s) => {
        const x = xmlEscape(s)
        expect(x).not.toMatch(/[<>"]|&(?!(lt|gt|quot|apos|amp);)/)
        expect(fromXml(x)).toBe(s)
      }),
    )
  })
})

describe('column mapping', () => {
  it('parses --inputs and --outputs, and rejects malformed ones', () => {
    expect(parseInputs('x=age, income,score; plan=plan')).toEqual([
      { name: 'x', columns: ['age', 'income', 'score'] },
      { name: 'plan', columns: ['plan'] },
    ])
    expect(parseOutputs('probability=churn_prob,label=churn')).toEqual({
      churn_prob: 'probability',
      churn: 'label',
    })
    expect(() => parseInputs('x=')).toThrow(/malformed --inputs "x="/)
    expect(() => parseOutputs('probability')).toThrow(/malformed --outputs "probability"/)
  })
  it('says which datatypes can carry which columns', () => {
    expect(cannotCarry('FP32', 'int', [1, 2])).toBeUndefined()
    expect(cannotCarry('INT64', 'float', [1.5])).toMatch(/fractions/)
    expect(cannotCarry('UINT8', 'int', [-1])).toMatch(/range is 0 to 255/)
    expect(cannotCarry('FP64', 'category', ['basic'])).toMatch(/travel as BYTES/)
    expect(cannotCarry('INT32', 'category', ['1', '2'])).toBeUndefined()
    expect(cannotCarry('BOOL', 'int', [1])).toMatch(/BOOL cannot carry/)
    expect(cannotCarry('BYTES', 'float', [0.5])).toBeUndefined()
    expect(cannotCarry('FLOAT', 'float', [0.5])).toMatch(/not an Open Inference Protocol datatype/)
  })
})

describe('Open Inference Protocol', () => {
  it("the runner's copy of the schemas is the published file's", () => {
    const published = structuredClone(SPEC.components.schemas) as Record<string, Record<string, unknown>>
    for (const s of Object.values(published)) delete s['x-examples']
    expect(JSON.parse(JSON.stringify(OIP_SCHEMAS))).toEqual(published)
  })
  it('encodes rows as requests the published schema accepts, one tensor per input', () => {
    const validate = specValidator('inference_request')
    const row = fc.record({
      age: fc.integer({ min: 18, max: 90 }),
      score: fc.double({ min: 0, max: 1, noNaN: true }),
      plan: fc.constantFrom('basic', 'pro'),
    })
    const inputs = [
      { name: 'age', columns: ['age'], datatype: 'INT64', rank: 1 as const },
      { name: 'x', columns: ['age', 'score'], datatype: 'FP64', rank: 2 as const },
      { name: 'plan', columns: ['plan'], datatype: 'BYTES', rank: 1 as const },
    ]
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 20 }), (rows) => {
        const body = JSON.parse(oip.encode(rows, inputs, 'm'))
        expect(validate(body), JSON.stringify(validate.errors)).toBe(true)
        expect(body.inputs.map((t: { shape: number[] }) => t.shape)).toEqual([
          [rows.length],
          [rows.length, 2],
          [rows.length],
        ])
        expect(body.inputs[2].data).toEqual(rows.map((r) => r.plan))
      }),
    )
  })
  it('decodes responses the published schema accepts, and reports those it does not', () => {
    const validate = specValidator('inference_response')
    const outputs = { columns: ['p'], nameOf: {} }
    const good = {
      model_name: 'm',
      outputs: [{ name: 'p', datatype: 'FP64', shape: [2, 1], data: [0.1, 0.2] }],
    }
    expect(validate(good)).toBe(true)
    expect(oip.decode(good, 2, outputs)).toEqual({ rows: [{ p: 0.1 }, { p: 0.2 }], problems: [], notes: [] })
    const bad = { outputs: [{ name: 'p', datatype: 'FP64', data: [0.1] }] }
    expect(validate(bad)).toBe(false)
    expect(oip.decode(bad, 1, outputs).problems.join(' ')).toMatch(/model_name/)
    const wrongType = {
      model_name: 'm',
      outputs: [{ name: 'p', datatype: 'FP64', shape: [1], data: ['0.1'] }],
    }
    expect(oip.decode(wrongType, 1, outputs).problems).toEqual([
      'output p holds "0.1" where FP64 needs a number',
    ])
  })
})
