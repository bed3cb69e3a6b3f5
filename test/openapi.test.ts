/**
 * A golden copy of /openapi.json pins the HTTP contract: every path, method, parameter, schema
 * and response the route modules declare, in the order they are mounted. If this fails, a route
 * changed: check that the change is meant (and told in the changelog), then refresh with
 * `UPDATE_GOLDEN=1 npx vitest run test/openapi.test.ts`.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { openRegistry } from '../registry/service.ts'
import { VERSION } from '../src/core/version.ts'
import { createApp } from '../src/server/app.ts'
import { ROOT, tempDir } from './helpers.ts'

const GOLDEN = join(ROOT, 'test/golden/openapi.json')

it('/openapi.json is the golden copy (the goldgen version aside)', async () => {
  const registry = await openRegistry({ dir: join(tempDir(), 'reg') })
  try {
    const response = await createApp(registry).request('/openapi.json')
    expect(response.status).toBe(200)
    const doc = (await response.json()) as { info: { version: string } }
    expect(doc.info.version).toBe(VERSION)
    // Compared as text, so the order of paths, keys and responses counts too.
    const text = `${JSON.stringify({ ...doc, info: { ...doc.info, version: '<VERSION>' } }, null, 2)}\n`
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(GOLDEN, text)
    expect(text).toBe(readFileSync(GOLDEN, 'utf8'))
  } finally {
    registry.close()
  }
})
