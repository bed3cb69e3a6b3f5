/**
 * The README's vitest snippet ("The client and test helpers"), kept identical to it (with the
 * package imports pointing at the sources) by test/vitest-matcher.test.ts, so that
 * `npm run typecheck` proves it compiles as written. vitest does not collect it (not *.test.ts).
 */

import { expect, test } from 'vitest'
import { createClient } from '../src/client/index.ts'
import { toMatchGolden } from '../src/vitest.ts'

expect.extend({ toMatchGolden })

const client = createClient({
  baseUrl: 'http://127.0.0.1:8787',
  cacheDir: '.goldgen-cache',
  lockFile: 'goldgen.lock',
})

test('churn model matches its goldens', async () => {
  for (const fixture of await client.fixtures('churn-model@1.2.0')) {
    const predictions = (await fixture.data()).map((row) => ({
      churn_prob: Number(row.age ?? 50) / 100,
      label: row.active ? 1 : 0,
    }))
    await expect(predictions).toMatchGolden({ ...fixture, expectedRows: await fixture.expected() })
  }
})
