/**
 * `check --run` on a model command that crashes: the error names the exception the model raised
 * and where (registry/model-failure.ts), not the last lines of its standard error — which for
 * Node are the runtime's version banner, and for a Python model wrapped in a script are whatever
 * it printed after the traceback.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { describeFailure } from '../registry/model-failure.ts'
import { openRegistry, type Registry } from '../registry/service.ts'
import { runGoldgen, schema, tempDir } from './helpers.ts'

const dir = tempDir()
let registry: Registry

beforeAll(async () => {
  registry = await openRegistry({ dir: join(dir, 'reg') })
  const s = schema({ goldgen: 1, columns: { id: { type: 'id' } } })
  await registry.publishSchema(s, { dataset: 'fx', rows: 5 })
  await registry.addModel('m@1.0.0')
  const expected = join(dir, 'expected.jsonl')
  writeFileSync(expected, `${[0, 1, 2, 3, 4].map((i) => JSON.stringify({ p: i })).join('\n')}\n`)
  await registry.expect('m@1.0.0', 'fx@1', expected, {})
})
afterAll(() => registry.close())

async function failure(run: string): Promise<string> {
  const r = await runGoldgen(['check', 'm@1.0.0', '--run', run, '--registry', join(dir, 'reg')])
  expect(r.code, r.stderr).toBe(1)
  return r.stderr
}

describe('check --run on a crashing model', () => {
  it('names a Node error and its first frame, not the version banner', async () => {
    const model = join(dir, 'model.mjs')
    writeFileSync(
      model,
      `function predict(rows) {\n  throw new TypeError('feature "age" is missing')\n}\npredict([])\n`,
    )
    const stderr = await failure(
      `${JSON.stringify(process.execPath)} ${JSON.stringify(model)} {input} {output}`,
    )
    expect(stderr).toContain('TypeError: feature "age" is missing')
    expect(stderr).toMatch(/at predict \(.*model\.mjs:2:\d+\)/)
    expect(stderr).not.toMatch(/Node\.js v\d/)
  })

  it('names a Python exception and where it was raised, even with output after the traceback', async () => {
    const model = join(dir, 'model.py')
    writeFileSync(
      model,
      [
        'import sys',
        'def predict(rows):',
        '    raise ValueError("expected 3 features, got 2")',
        'print("loading weights", file=sys.stderr)',
        'predict([])',
      ].join('\n'),
    )
    const wrapper = join(dir, 'wrapper.sh')
    writeFileSync(
      wrapper,
      `python3 ${JSON.stringify(model)} "$@"\nstatus=$?\nfor i in 1 2 3 4; do echo "wrapper: cleanup step $i" >&2; done\nexit $status\n`,
    )
    const stderr = await failure(`bash ${JSON.stringify(wrapper)} {input} {output}`)
    expect(stderr).toContain('ValueError: expected 3 features, got 2')
    expect(stderr).toMatch(/model\.py, line 3, in predict/)
    expect(stderr).toContain('exit code 1')
  })

  it('falls back to the last lines when there is no exception to name', async () => {
    const stderr = await failure(
      `bash -c "echo first >&2; echo 'out of licences' >&2; exit 4" {input} {output}`,
    )
    expect(stderr).toContain('exit code 4')
    expect(stderr).toContain('out of licences')
  })
})

describe('describeFailure', () => {
  it('takes the last traceback of a chained Python exception', () => {
    const text = [
      'Traceback (most recent call last):',
      '  File "m.py", line 2, in load',
      '    open("w.bin")',
      "FileNotFoundError: [Errno 2] No such file or directory: 'w.bin'",
      '',
      'During handling of the above exception, another exception occurred:',
      '',
      'Traceback (most recent call last):',
      '  File "m.py", line 9, in <module>',
      '    main()',
      '  File "m.py", line 6, in main',
      '    raise RuntimeError("no weights")',
      '    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^',
      'RuntimeError: no weights',
      'exiting',
    ].join('\n')
    expect(describeFailure(text)).toBe('RuntimeError: no weights\n  at m.py, line 6, in main')
  })

  it('takes a Java exception and its first frame, the root cause last', () => {
    const text = [
      'Exception in thread "main" java.lang.IllegalStateException: model not loaded',
      '\tat ml.Model.predict(Model.java:42)',
      '\tat ml.Main.main(Main.java:7)',
      'Caused by: java.io.IOException: weights.bin: truncated',
      '\tat ml.Model.load(Model.java:17)',
      '\t... 1 more',
    ].join('\n')
    expect(describeFailure(text)).toBe(
      'Caused by: java.io.IOException: weights.bin: truncated\n  at ml.Model.load(Model.java:17)',
    )
  })

  it('says so when there is no standard error at all', () => {
    expect(describeFailure('')).toBe('(no standard error output)')
    expect(describeFailure('\n\nNode.js v20.0.0\n')).toBe('(no standard error output)')
  })
})
