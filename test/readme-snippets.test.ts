/**
 * README snippets run as written (issue 12: "README snippets that fail as written"): the
 * `toArbitrary` example is extracted from the README, its package import pointed at the sources,
 * and run; it must define everything it uses (it once called an undefined `featurize`).
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ROOT } from './helpers.ts'

/** The first ```ts block after a README heading. */
function snippetAfter(heading: string): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
  const at = readme.indexOf(heading)
  expect(at, `README.md has no heading ${heading}`).toBeGreaterThanOrEqual(0)
  const code = /```ts\n([\s\S]*?)```/.exec(readme.slice(at))?.[1]
  expect(code, `README.md: no ts block after ${heading}`).toBeDefined()
  return code!
}

describe('README snippets', () => {
  it('"the `toArbitrary` example\'s undefined `featurize`": the example runs as written', async () => {
    const code = snippetAfter('### Property tests of your own code: `toArbitrary`')
    expect(code).toContain("from 'goldgen'")
    const file = join(ROOT, 'test', `readme-arbitrary.tmp-${process.pid}.ts`)
    writeFileSync(file, code.replace("from 'goldgen'", "from '../src/index.ts'"))
    try {
      const before = process.cwd()
      process.chdir(ROOT) // the snippet names schemas/examples/churn.yaml from the repository root
      try {
        await import(file) // fc.assert throws when the property fails or the code does not run
      } finally {
        process.chdir(before)
      }
    } finally {
      rmSync(file, { force: true })
    }
  })

  it("the README's vitest snippet predicts every column of the churn workflow's expected outputs", () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
    // The workflow writes expected.jsonl with a one-line node script: the keys it writes.
    const script = /node -e "(.*expected\.jsonl.*)"/.exec(readme)?.[1]
    expect(script).toBeDefined()
    const expectedKeys = [...script!.matchAll(/[{,]([a-z_]+):/g)].map((m) => m[1]).sort()
    const snippet = snippetAfter('### The client and test helpers')
    const predicted = /\.map\(\(row\) => \(\{([\s\S]*?)\}\)\)/.exec(snippet)?.[1]
    expect(predicted).toBeDefined()
    const predictedKeys = [...predicted!.matchAll(/^\s*([a-z_]+):/gm)].map((m) => m[1]).sort()
    expect(expectedKeys).toEqual(['churn_prob', 'label'])
    expect(predictedKeys).toEqual(expectedKeys)
  })
})
