/**
 * The browser UI, served under `/` beside the API: server-rendered HTML pages (no client build,
 * no JavaScript needed) over the registry — datasets, a dataset, a version's data card (or a
 * multi-table version's tables), a diff of two versions, a model version. Read-only: GET and HEAD only. Reads are anonymous unless the
 * server requires a token (`--read-token-required`), then a valid bearer token is needed here too.
 */

import type { Context, MiddlewareHandler } from 'hono'
import { Hono } from 'hono'
import { html } from 'hono/html'
import { GoldgenError } from '../../core/errors.ts'
import { buildCard } from '../card/model.ts'
import type { AppOptions, Env, RouteDeps } from '../context.ts'
import { httpStatus } from '../http.ts'
import { cardPage } from './card.ts'
import { datasetPage, datasetsPage } from './datasets.ts'
import { diffPage, modelPage } from './diff-model.ts'
import { type Html, page, ui } from './layout.ts'
import { tablesPage } from './tables.ts'

const HTML_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-cache',
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'",
  'x-content-type-options': 'nosniff',
}

export function uiRoutes({ registry, base }: RouteDeps, options: AppOptions) {
  const app = new Hono<Env>()

  const render = async (c: Context, status: number, title: string, body: Html) =>
    c.body(await page(title, body, { base }), status as 200, HTML_HEADERS)

  app.onError(async (err, c) => {
    const code = err instanceof GoldgenError ? err.code : 'INTERNAL'
    if (code === 'INTERNAL')
      console.error(`goldgen: ${c.req.method} ${c.req.path}: ${err.stack ?? err.message}`)
    const message =
      err instanceof GoldgenError
        ? err.message
        : 'goldgen could not show this page; the server log has the details'
    return render(
      c,
      httpStatus[code],
      'Not shown',
      html`<h1>${httpStatus[code] === 404 ? 'Not found' : 'Cannot show this page'}</h1><p>${message}</p><p><a href="${base}/">All datasets</a></p>`,
    )
  })

  // Read-only, and the same reading rules as the API. Scoped to the UI's own paths: mounted at
  // '/', a '*' middleware would stand in front of the API too.
  const guard: MiddlewareHandler<Env> = async (c, next) => {
    if (!['GET', 'HEAD'].includes(c.req.method))
      return c.body('the goldgen browser is read-only\n', 405, { allow: 'GET, HEAD' })
    const header = c.req.header('authorization')
    const secret = header === undefined ? undefined : /^Bearer\s+(\S+)$/i.exec(header)?.[1]
    const actor = secret === undefined ? undefined : await registry.authenticate(secret)
    if (
      (header !== undefined && actor === undefined) ||
      (actor === undefined && options.readTokenRequired === true)
    ) {
      c.header('www-authenticate', 'Bearer')
      return render(
        c,
        401,
        'Token needed',
        html`<h1>A token is needed</h1><p>${header === undefined ? 'This goldgen server requires a token for reads: send Authorization: Bearer <token>.' : 'The bearer token is not valid; create one with goldgen token create.'}</p>`,
      )
    }
    c.set('actor', actor)
    return next()
  }
  for (const path of ['/', '/datasets/*', '/models/*']) app.use(path, guard)

  app.get('/', async (c) => {
    const p = await datasetsPage(registry, base, { q: c.req.query('q'), page: c.req.query('page') })
    return render(c, 200, p.title, p.body)
  })

  app.get('/datasets/:name', async (c) => {
    const p = await datasetPage(registry, base, c.req.param('name'), { page: c.req.query('page') })
    return render(c, 200, p.title, p.body)
  })

  app.get('/datasets/:name/diff', async (c) => {
    const p = await diffPage(registry, base, c.req.param('name'), {
      a: c.req.query('a'),
      b: c.req.query('b'),
    })
    return render(c, 200, p.title, p.body)
  })

  app.get('/datasets/:name/versions/:ref', async (c) => {
    const { name, ref } = c.req.param()
    if (!/^[1-9][0-9]*$/.test(ref)) {
      // Aliases and `latest` move: send the browser to the numbered page.
      const v = await registry.resolve(`${name}@${ref}`)
      return c.redirect(ui.version(base, name, v.version), 302)
    }
    if ((await registry.resolve(`${name}@${ref}`)).format === 'tables') {
      const p = await tablesPage(registry, base, `${name}@${ref}`)
      return render(c, 200, p.title, p.body)
    }
    const card = await buildCard(registry, `${name}@${ref}`)
    const schemaYaml =
      card.recipe === null
        ? undefined
        : (await import('yaml')).stringify(card.recipe.schema, { lineWidth: 100 })
    const p = cardPage(card, base, schemaYaml)
    return render(c, 200, p.title, p.body)
  })

  app.get('/models/:name/versions/:version', async (c) => {
    const p = await modelPage(registry, base, c.req.param('name'), c.req.param('version'))
    return render(c, 200, p.title, p.body)
  })

  return app
}
