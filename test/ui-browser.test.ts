/**
 * The browser UI in a real browser: Debian's headless Chromium driven by playwright-core, against
 * `goldgen serve`'s listener on 127.0.0.1. Every page renders, charts are drawn, every link
 * answers, nothing is logged to the console as an error, Tab reaches every link, and axe-core
 * finds no serious or critical accessibility violation. Fails (never skips) without Chromium.
 * With GOLDGEN_SCREENSHOTS=1 it also writes the README's screenshots to docs/ui/.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Registry } from '../registry/service.ts'
import { listen } from '../src/server/listen.ts'
import { ROOT, tempDir } from './helpers.ts'
import { uiRegistry } from './ui/fixture.ts'

const CHROMIUM = '/usr/bin/chromium'
const PAGES = [
  '/',
  '/?q=churn',
  '/datasets/churn',
  '/datasets/churn/versions/2',
  '/datasets/churn/versions/1',
  '/datasets/prices/versions/1',
  '/datasets/churn/diff?a=1&b=2',
  '/models/churn-model/versions/1.0.0',
]
/** One page of each kind, for axe-core (the others share their templates). */
const AXE = PAGES.filter((p) => p !== '/?q=churn' && p !== '/datasets/churn/versions/1')
const CARDS = ['/datasets/churn/versions/2', '/datasets/churn/versions/1', '/datasets/prices/versions/1']

let registry: Registry
let server: { url: string; close: () => Promise<void> }
let context: BrowserContext
let profile: string
const consoleErrors: string[] = []

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `the browser tests need Chromium at ${CHROMIUM}: install it with apt-get install -y chromium (.ci/run does)`,
    )
  registry = await uiRegistry(tempDir())
  server = await listen(registry, { host: '127.0.0.1', port: 0 })
  const { chromium } = await import('playwright-core')
  profile = mkdtempSync(join(tmpdir(), 'goldgen-chromium-'))
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    // axe-core is injected as a script: let it past the pages' Content-Security-Policy.
    bypassCSP: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
}, 120_000)

afterAll(async () => {
  await context?.close()
  await server?.close()
  registry?.close()
  if (profile !== undefined) rmSync(profile, { recursive: true, force: true })
})

async function open(path: string): Promise<Page> {
  const page = await context.newPage()
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(`${path}: ${m.text()}`)
  })
  page.on('pageerror', (e) => consoleErrors.push(`${path}: ${e.message}`))
  const res = await page.goto(`${server.url}${path}`)
  expect(res?.status(), path).toBe(200)
  return page
}

describe('the browser UI in Chromium', () => {
  const links = new Map<string, string>()

  it('renders every page: charts on data cards, Tab reaches every link, no axe violations, no console errors', async () => {
    const axe = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')
    for (const path of PAGES) {
      const page = await open(path)
      await expect(page.locator('h1').first().isVisible()).resolves.toBe(true)
      expect(await page.locator('script').count(), `${path} needs no JavaScript`).toBe(0)
      if (CARDS.includes(path)) {
        const charts = page.locator('svg.chart')
        const columns = await page.locator('#columns + .cols > section').count()
        expect(columns).toBeGreaterThan(0)
        expect(await charts.count()).toBeGreaterThanOrEqual(columns)
        const box = await charts.first().boundingBox()
        expect(box?.width ?? 0).toBeGreaterThan(0)
        expect(await charts.locator('rect, line').count()).toBeGreaterThan(0)
      }
      if (process.env.GOLDGEN_SCREENSHOTS === '1') await screenshot(page, path)

      // Keyboard: Tab from the top reaches every link on the page.
      const hrefs = await page.$$eval('a[href]', (as) =>
        as.map((a) => (a as unknown as { href: string }).href),
      )
      for (const h of hrefs) if (!links.has(h.split('#')[0]!)) links.set(h.split('#')[0]!, path)
      const focusable = await page.$$eval('a[href], input, button, [tabindex="0"]', (els) => els.length)
      type Focus = {
        __reached: string[]
        document: { addEventListener: (e: string, f: (ev: { target: { href?: string } }) => void) => void }
      }
      await page.evaluate(() => {
        const g = globalThis as unknown as Focus
        g.__reached = []
        g.document.addEventListener('focusin', (e) => g.__reached.push(e.target.href ?? ''))
      })
      for (let i = 0; i < focusable + 2; i++) await page.keyboard.press('Tab')
      const reached = new Set(await page.evaluate(() => (globalThis as unknown as Focus).__reached))
      for (const l of hrefs) expect(reached, `${path}: Tab never reaches ${l}`).toContain(l)

      // Accessibility: axe-core, injected into each kind of page.
      if (AXE.includes(path)) await page.addScriptTag({ content: axe })
      else {
        await page.close()
        continue
      }
      const violations = (await page.evaluate(async () => {
        const result = await (
          globalThis as unknown as { axe: { run: () => Promise<{ violations: unknown[] }> } }
        ).axe.run()
        return result.violations
      })) as { id: string; impact: string; nodes: { target: string[] }[] }[]
      const serious = violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map(
          (v) =>
            `${v.id} (${v.impact}) at ${v.nodes
              .map((n) => n.target.join(' '))
              .slice(0, 3)
              .join(', ')}`,
        )
      expect(serious, path).toEqual([])
      await page.close()
    }
    expect(consoleErrors).toEqual([])
  }, 180_000)

  it('has no broken links', async () => {
    expect(links.size).toBeGreaterThan(20)
    for (const [href, from] of links) {
      const res = await context.request.get(href, { maxRedirects: 5 })
      expect(res.status(), `${href} (linked from ${from})`).toBeLessThan(400)
    }
  }, 120_000)

  it('searches with the GET form from the keyboard', async () => {
    const page = await open('/')
    await page.locator('#q').fill('pri')
    await page.keyboard.press('Enter')
    await page.waitForURL(/\?q=pri/)
    expect(await page.locator('main table a').allTextContents()).toEqual(['prices', 'prices@1'])
    await page.close()
  }, 60_000)
})

/** Writes a small PNG of a page for the README. */
async function screenshot(page: Page, path: string) {
  const names: Record<string, string> = {
    '/': 'datasets',
    '/datasets/churn': 'dataset',
    '/datasets/churn/versions/2': 'data-card',
    '/models/churn-model/versions/1.0.0': 'model',
  }
  const name = names[path]
  if (name === undefined) return
  const dir = join(ROOT, 'docs', 'ui')
  mkdirSync(dir, { recursive: true })
  await page.setViewportSize({ width: 1000, height: 700 })
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: false })
  if (name === 'data-card') {
    await page
      .locator('#columns')
      .evaluate((e) => (e as unknown as { scrollIntoView: () => void }).scrollIntoView())
    await page.screenshot({ path: join(dir, 'data-card-columns.png'), fullPage: false })
    await page.evaluate(() =>
      (globalThis as unknown as { scrollTo: (x: number, y: number) => void }).scrollTo(0, 0),
    )
  }
}
