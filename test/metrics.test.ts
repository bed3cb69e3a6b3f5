/**
 * The metrics of `goldgen expect --metric` against scikit-learn (Debian's python3-sklearn, run
 * through /usr/bin/python3 on random data), their invariants as fast-check properties, the
 * slices (bin edges, out-of-range and missing values, empty bins) and the parse errors.
 */
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { evaluateMetrics } from '../src/metrics/evaluate.ts'
import {
  formatMetric,
  formatSlice,
  METRIC_NAMES,
  parseMetric,
  parseSlice,
} from '../src/metrics/expression.ts'
import { metricFunctions, metricOver, prepare } from '../src/metrics/metrics.ts'
import { slicesOf } from '../src/metrics/slices.ts'

const CLASSIFICATION = ['accuracy', 'precision', 'recall', 'f1', 'roc_auc', 'log_loss'] as const
const REGRESSION = ['mae', 'rmse', 'mape', 'r2'] as const

const binaryCase = fc.integer({ min: 20, max: 150 }).chain((n) =>
  fc.record({
    truth: fc.array(fc.integer({ min: 0, max: 1 }), { minLength: n, maxLength: n }),
    // Two decimals, so scores tie (roc_auc's midranks are exercised).
    pred: fc.array(
      fc.integer({ min: 0, max: 100 }).map((k) => k / 100),
      { minLength: n, maxLength: n },
    ),
  }),
)
const regressionCase = fc.integer({ min: 20, max: 150 }).chain((n) =>
  fc.record({
    truth: fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: n, maxLength: n }),
    pred: fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: n, maxLength: n }),
  }),
)

describe('metrics against scikit-learn', () => {
  it('computes every metric as scikit-learn does on random data', () => {
    const cases: { name: string; truth: number[]; pred: number[] }[] = []
    for (const name of CLASSIFICATION)
      for (const c of fc.sample(binaryCase, { seed: 19, numRuns: 6 })) {
        // Both classes present, so every metric is defined.
        c.truth[0] = 0
        c.truth[1] = 1
        cases.push({ name, ...c })
      }
    for (const name of REGRESSION)
      for (const c of fc.sample(regressionCase, { seed: 20, numRuns: 6 })) cases.push({ name, ...c })
    // mape with a zero truth: both floor |truth| at the same epsilon.
    cases.push({ name: 'mape', truth: [0, 1, 2, 4], pred: [0.5, 1, 2.5, 3] })
    const reference: number[] = JSON.parse(
      execFileSync('/usr/bin/python3', [join(import.meta.dirname, 'metrics/reference.py')], {
        input: JSON.stringify(cases),
        encoding: 'utf8',
      }),
    )
    expect(reference).toHaveLength(cases.length)
    for (const [i, c] of cases.entries()) {
      const spec = parseMetric(`${c.name}(t, p) >= 0`)
      const ours = metricOver(
        spec.name,
        prepare(spec.name, c.truth, c.pred, { truth: 't', prediction: 'p' }),
      ).value
      expect(ours, `${c.name} case ${i}`).not.toBeNull()
      expect(
        Math.abs(ours! - reference[i]!),
        `${c.name} case ${i}: ${ours} vs ${reference[i]}`,
      ).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(reference[i]!)))
    }
  })
})

describe('metric properties', () => {
  it('roc_auc does not change under a strictly increasing transform of the scores', () => {
    fc.assert(
      fc.property(
        binaryCase,
        fc.double({ min: 0.1, max: 10, noNaN: true }),
        fc.double({ min: -5, max: 5, noNaN: true }),
        (c, a, b) => {
          const before = metricFunctions.roc_auc(c.truth, c.pred)
          const after = metricFunctions.roc_auc(
            c.truth,
            c.pred.map((p) => Math.exp(a * p + b)),
          )
          if (before === null) return after === null
          return Math.abs(before - after!) < 1e-12
        },
      ),
    )
  })

  it('a perfect predictor has accuracy, precision, recall, f1 and roc_auc 1, mae and rmse 0', () => {
    fc.assert(
      fc.property(binaryCase, (c) => {
        c.truth[0] = 0
        c.truth[1] = 1
        for (const name of ['accuracy', 'precision', 'recall', 'f1', 'roc_auc'] as const)
          if (metricOver(name, prepare(name, c.truth, c.truth, { truth: 't', prediction: 'p' })).value !== 1)
            return false
        return metricFunctions.mae(c.pred, c.pred) === 0 && metricFunctions.rmse(c.pred, c.pred) === 0
      }),
    )
  })

  it('predicting the mean gives r2 = 0; rmse is never below mae', () => {
    fc.assert(
      fc.property(regressionCase, (c) => {
        const mean = c.truth.reduce((s, v) => s + v, 0) / c.truth.length
        const r2 = metricFunctions.r2(
          c.truth,
          c.truth.map(() => mean),
        )
        const constant = c.truth.every((v) => v === c.truth[0])
        if (constant ? r2 !== null : Math.abs(r2!) > 1e-9) return false
        return metricFunctions.rmse(c.truth, c.pred)! >= metricFunctions.mae(c.truth, c.pred)! - 1e-9
      }),
    )
  })

  it('excludes and counts rows whose truth or prediction is missing', () => {
    const p = prepare('mae', [1, null, 3, Number.NaN, 5], [1, 2, null, 4, 7], { truth: 't', prediction: 'p' })
    expect(metricOver('mae', p)).toEqual({ value: 1, rows: 2, excluded: 3 })
  })

  it('reads booleans as labels and thresholds probabilities at 0.5', () => {
    const p = prepare('accuracy', [true, false, true, false], [0.5, 0.49, 0.7, 0.2], {
      truth: 't',
      prediction: 'p',
    })
    expect(metricOver('accuracy', p).value).toBe(1)
    const labels = prepare('accuracy', ['cat', 'dog', 'cat'], ['cat', 'cat', 'cat'], {
      truth: 't',
      prediction: 'p',
    })
    expect(metricOver('accuracy', labels).value).toBeCloseTo(2 / 3, 12)
  })

  it('refuses labels a binary metric cannot read, naming the column and row', () => {
    expect(() => prepare('f1', [0, 1, 2], [0, 1, 1], { truth: 'label', prediction: 'p' })).toThrow(
      /"label" must hold binary labels .* row 2 has 2/,
    )
    expect(() => prepare('log_loss', [0, 1], [0.2, 1.5], { truth: 'y', prediction: 'prob' })).toThrow(
      /"prob" must hold probabilities in \[0, 1\]/,
    )
  })
})

describe('slices', () => {
  it('bins are half-open; values outside the edges and missing values get slices of their own', () => {
    const s = slicesOf(parseSlice('age:bins=[18,30,50,90]'), [17, 18, 29.9, 30, 50, 89, 90, null, 45])
    expect(s).toEqual([
      { name: 'age<18', rows: [0] },
      { name: 'age=[18,30)', rows: [1, 2] },
      { name: 'age=[30,50)', rows: [3, 8] },
      { name: 'age=[50,90)', rows: [4, 5] },
      { name: 'age>=90', rows: [6] },
      { name: 'age=null', rows: [7] },
    ])
    expect(slicesOf(parseSlice('x:bins=[0,1,2]'), [0.5]).map((x) => x.rows.length)).toEqual([1, 0])
  })

  it('category slices are sorted, numbers by value', () => {
    expect(slicesOf({ column: 'k' }, [10, 9, 10, null]).map((s) => s.name)).toEqual(['k=9', 'k=10', 'k=null'])
  })

  it('every row falls in exactly one slice of a --slice option', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.double({ min: -10, max: 10 }), fc.constant(null)), { maxLength: 60 }),
        fc.uniqueArray(fc.integer({ min: -8, max: 8 }), { minLength: 2, maxLength: 5 }),
        (values, edges) => {
          const slices = slicesOf({ column: 'x', bins: edges.sort((a, b) => a - b) }, values)
          const seen = slices.flatMap((s) => s.rows).sort((a, b) => a - b)
          return JSON.stringify(seen) === JSON.stringify(values.map((_, i) => i))
        },
      ),
    )
  })

  it('reports an empty bin and an undefined metric without failing; an empty overall fails', () => {
    const dataset = [0, 1, 0, 1].map((y, i) => ({ y, age: 20 + i }))
    const outputs = [0.1, 0.9, 0.2, 0.8].map((p) => ({ p }))
    const spec = {
      metrics: [parseMetric('roc_auc(y, p) >= 0.9')],
      slices: [parseSlice('age:bins=[20,21,60,70]')],
    }
    const r = evaluateMetrics(spec, dataset, outputs)
    expect(r.passed).toBe(true)
    expect(r.checks.map((c) => [c.slice, c.status])).toEqual([
      ['overall', 'pass'],
      ['age=[20,21)', 'undefined'],
      ['age=[21,60)', 'pass'],
      ['age=[60,70)', 'empty'],
    ])
    const none = evaluateMetrics(
      spec,
      dataset,
      outputs.map(() => ({ p: null })),
    )
    expect(none.passed).toBe(false)
    expect(none.checks[0]!.message).toMatch(/overall: no row has both y and p \(4 excluded/)
  })
})

describe('parsing', () => {
  it('formats back what it parses', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...METRIC_NAMES),
        fc.stringMatching(/^[a-z_][a-z0-9_.]{0,8}$/),
        fc.stringMatching(/^[a-z_][a-z0-9_]{0,8}$/),
        fc.constantFrom('>=', '<=', '>', '<'),
        fc.double({ min: -1e6, max: 1e6, noNaN: true }),
        (name, truth, prediction, op, bound) => {
          const m = { name, truth, prediction, op, bound }
          return (
            JSON.stringify(parseMetric(formatMetric(m))) ===
            JSON.stringify({ ...m, bound: bound === 0 ? 0 : bound })
          )
        },
      ),
    )
    expect(formatSlice(parseSlice(' age:bins=[18, 30,50 ,90] '))).toBe('age:bins=[18,30,50,90]')
  })

  it.each([
    ['roc_aux(label, p) >= 0.8', 1, /unknown metric "roc_aux"/],
    ['roc_auc(label p) >= 0.8', 15, /expected "," after the truth column/],
    ['roc_auc(label, p) => 0.8', 19, /expected a comparison/],
    ['roc_auc(label, p) >= high', 22, /expected a number as the bound/],
    ['mae(y, pred) <= 2.5 or so', 21, /unexpected "or so"/],
    ['mae(, pred) <= 2.5', 5, /expected a column name/],
  ])('names the option and position: %s', (text, position, message) => {
    expect(() => parseMetric(text)).toThrow(new RegExp(`^--metric ".*": at position ${position}: `))
    expect(() => parseMetric(text)).toThrow(message)
  })

  it.each([
    ['age:bins=[18,30,30]', 17, /edges must increase/],
    ['age:bins=[18]', 10, /at least two edges/],
    ['age:bins=18,30', 10, /expected "\[" after bins=/],
    ['age:bins=[18,x]', 14, /expected a number/],
  ])('names the slice option and position: %s', (text, position, message) => {
    expect(() => parseSlice(text)).toThrow(new RegExp(`^--slice ".*": at position ${position}: `))
    expect(() => parseSlice(text)).toThrow(message)
  })
})
