/**
 * The metric expectations of a model version over HTTP: `GET
 * /v1/models/{name}/versions/{version}/metrics` (every dataset version's, parsed) and `PUT
 * …/metrics/{dataset}/{number}` with `{ metrics, slices?, baseline?, maxDrop? }` (a write token;
 * the same texts as `goldgen expect --metric --slice --baseline --max-drop`; audited).
 */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import type { MetricBinding } from '../../../registry/service.ts'
import { formatMetric, formatSlice } from '../../metrics/expression.ts'
import { metricExpectation } from '../../metrics/spec.ts'
import { audit, type Env, type RouteDeps } from '../context.ts'
import { requiredJson } from '../http.ts'
import { fixtureParams, name, problemResponses, security } from '../openapi.ts'

const MetricExpectations = z
  .object({
    dataset: z.string(),
    metrics: z.array(
      z.object({
        text: z.string().openapi({ example: 'roc_auc(label, churn_prob) >= 0.8' }),
        name: z.string(),
        truth: z.string(),
        prediction: z.string(),
        op: z.enum(['>=', '<=', '>', '<']),
        bound: z.number(),
      }),
    ),
    slices: z.array(
      z.object({
        text: z.string().openapi({ example: 'age:bins=[18,30,50,90]' }),
        column: z.string(),
        bins: z.array(z.number()).optional(),
      }),
    ),
    baseline: z.object({ model: z.string(), maxDrop: z.number() }).nullable(),
  })
  .openapi('MetricExpectations')

const shape = (b: Pick<MetricBinding, 'dataset' | 'expectation'>): z.infer<typeof MetricExpectations> => ({
  dataset: b.dataset,
  metrics: b.expectation.metrics.map((m) => ({ text: formatMetric(m), ...m })),
  slices: b.expectation.slices.map((s) => ({ text: formatSlice(s), ...s })),
  baseline: b.expectation.baseline ?? null,
})

const BODY_NAMES = { metric: 'metrics', slice: 'slices', baseline: 'baseline', maxDrop: 'maxDrop' }

export function modelMetricRoutes({ registry }: RouteDeps) {
  const app = new OpenAPIHono<Env>()

  app.openapi(
    createRoute({
      method: 'get',
      path: '/{name}/versions/{version}/metrics',
      summary: 'The metric expectations of a model version, per dataset version (goldgen expect --metric)',
      request: {
        params: z.object({
          name,
          version: z.string().openapi({ param: { name: 'version', in: 'path' }, example: '1.2.0' }),
        }),
      },
      responses: {
        200: {
          description: 'Metric expectations',
          content: { 'application/json': { schema: z.array(MetricExpectations) } },
        },
        ...problemResponses,
      },
    }),
    async (c) => {
      const p = c.req.valid('param')
      return c.json((await registry.metricExpectations(`${p.name}@${p.version}`)).map(shape), 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'put',
      path: '/{name}/versions/{version}/metrics/{dataset}/{number}',
      summary: 'Store metric expectations of a model version on a dataset version',
      security,
      request: {
        params: fixtureParams,
        body: {
          content: {
            'application/json': {
              schema: z.object({
                metrics: z.array(z.string()).min(1),
                slices: z.array(z.string()).optional(),
                baseline: z.string().optional(),
                maxDrop: z.number().optional(),
              }),
            },
          },
          required: true,
        },
      },
      responses: {
        201: {
          description: 'Stored',
          content: { 'application/json': { schema: MetricExpectations } },
        },
        200: { description: 'Already stored' },
        409: { description: 'Other metric expectations are stored for this dataset version' },
        ...problemResponses,
      },
    }),
    async (c) => {
      const p = c.req.valid('param')
      const body = requiredJson(c.req.valid('json'))
      const spec = metricExpectation(
        { metric: body.metrics, slice: body.slices ?? [], baseline: body.baseline, maxDrop: body.maxDrop },
        BODY_NAMES,
      )!
      const model = `${p.name}@${p.version}`
      const plan = await registry.planMetrics(model, `${p.dataset}@${p.number}`, spec)
      const { created } = await plan.commit()
      await audit(registry, c, 'expect.metrics', `${model} ${plan.dataset}`, { created, ...body })
      return c.json(shape({ dataset: plan.dataset, expectation: spec }), created ? 201 : 200)
    },
  )

  return app
}
