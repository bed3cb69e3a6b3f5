/**
 * The contract tests' scaffolding: a registry with a real scikit-learn model's fixture (trained by
 * test/contract/train.py on a goldgen training set, expected outputs computed by scikit-learn),
 * and serve.py started behind every protocol adapter and fault. Fails with the reason when
 * Debian's python3-sklearn is missing or the server does not start.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'
import { loadSchema } from '../../src/api/load-schema.ts'
import { openRegistry, type Registry } from '../../src/index.ts'
import { ROOT } from '../helpers.ts'

export const PYTHON = '/usr/bin/python3'
const HERE = join(ROOT, 'test', 'contract')
export const SCHEMA = join(HERE, 'churn.yaml')
export const MODEL = 'churn-model@1.0.0'
export const FIXTURE = 'churn-contract@1'

export interface Harness {
  registry: Registry
  registryDir: string
  /** The base URL of a protocol/variant, e.g. endpoint('oip', 'drift'). */
  endpoint(protocol: string, variant: string): string
  /** The replay fixture as the test reads it from CSV itself: [age, income, score, plan] cells. */
  fixtureRows: { age: number; income: number | null; score: number; plan: string }[]
  stop(): void
}

function python(args: string[]): void {
  const r = spawnSync(PYTHON, args, { cwd: HERE, encoding: 'utf8' })
  if (r.error !== undefined || r.status !== 0)
    throw new Error(
      `${PYTHON} ${args.join(' ')} failed (${r.error?.message ?? `exit ${r.status}`}): ${r.stderr}\nthe contract tests need Debian's python3-sklearn (apt-get install python3-sklearn)`,
    )
}

function readCsv(file: string): Harness['fixtureRows'] {
  const [, ...lines] = readFileSync(file, 'utf8').trimEnd().split(/\r?\n/)
  return lines.map((line) => {
    const [age, income, score, plan] = line.split(',')
    return {
      age: Number(age),
      income: income === '' ? null : Number(income),
      score: Number(score),
      plan: plan!,
    }
  })
}

/** Publishes the fixtures, trains the model, attaches its outputs and starts the server. */
export async function startHarness(dir: string): Promise<Harness> {
  const registryDir = join(dir, 'registry')
  const registry = await openRegistry({ dir: registryDir })
  const source = loadSchema(SCHEMA)
  await registry.publishSchema(source, { dataset: 'churn-train', rows: 400, seed: 1 })
  await registry.publishSchema(source, { dataset: 'churn-contract' })
  const [train, fixture, model, expected] = ['train.csv', 'fixture.csv', 'model.pkl', 'expected.csv'].map(
    (f) => join(dir, f),
  )
  await registry.fetch('churn-train@1', train!)
  await registry.fetch(FIXTURE, fixture!)
  python(['train.py', train!, fixture!, model!, expected!])
  await registry.addModel(MODEL)
  await registry.expect(MODEL, FIXTURE, expected!, { churn_prob: { kind: 'atol', value: 1e-9 } })

  const columns = (
    parse(readFileSync(SCHEMA, 'utf8')) as { columns: Record<string, Record<string, unknown>> }
  ).columns
  const domain = Object.fromEntries(
    Object.entries(columns).map(([name, c]) => [
      name,
      { type: c.type, min: c.min, max: c.max, values: c.values, nullable: c.missing !== undefined },
    ]),
  )
  const child: ChildProcess = spawn(PYTHON, ['serve.py', model!, JSON.stringify(domain)], {
    cwd: HERE,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stderr = ''
  child.stderr!.on('data', (d) => {
    stderr += String(d)
  })
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`serve.py printed no port within 30 s: ${stderr}`)),
      30_000,
    )
    child.stdout!.once('data', (d) => {
      clearTimeout(timer)
      resolve(Number(String(d).trim()))
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`serve.py exited (${code}) before listening: ${stderr}`))
    })
  })
  return {
    registry,
    registryDir,
    endpoint: (protocol, variant) => `http://127.0.0.1:${port}/${protocol}/${variant}`,
    fixtureRows: readCsv(fixture!),
    stop() {
      child.kill()
      registry.close()
    },
  }
}
