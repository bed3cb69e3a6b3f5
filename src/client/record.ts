/**
 * Recording new expected outputs for a fixture (`Fixture.record`, used by `GOLDGEN_UPDATE=1`):
 * the rows go to the server as goldgen JSONL with `?update=true`, so the registry keeps the old
 * record and makes the new one current. Needs a write token (the client's, else $GOLDGEN_TOKEN).
 */
import { GoldgenError } from '../core/errors.ts'
import type { DataRow } from '../formats/read.ts'

/** What `Fixture.record` stored. */
export interface RecordedExpectation {
  /** The model version, `MODEL@VERSION`. */
  model: string
  dataset: string
  /** The new record's id, and the id of the record it replaced (null when there was none). */
  id: number
  replaced: number | null
  sha256: string
  rows: number
}

/** A cell as goldgen JSONL writes it: NaN and ±Infinity as strings, -0 kept. */
const jsonCell = (v: DataRow[string] | undefined): string =>
  typeof v !== 'number'
    ? JSON.stringify(v ?? null)
    : Number.isFinite(v)
      ? Object.is(v, -0)
        ? '-0'
        : JSON.stringify(v)
      : `"${v}"`

export const toJsonl = (rows: DataRow[]): string =>
  rows
    .map(
      (row) =>
        `{${Object.entries(row)
          .map(([k, v]) => `${JSON.stringify(k)}:${jsonCell(v)}`)
          .join(',')}}\n`,
    )
    .join('')

export async function recordExpectation(
  options: {
    baseUrl: string
    token?: string | undefined
    offline?: boolean | undefined
    fetch?: typeof fetch | undefined
  },
  fixture: {
    model: string
    dataset: string
    tolerances: Record<string, { kind: string; value?: number }>
    expectedLink: string
  },
  rows: DataRow[],
): Promise<RecordedExpectation> {
  const what = `new expected outputs for ${fixture.model} on ${fixture.dataset}`
  const token = options.token ?? process.env.GOLDGEN_TOKEN
  if (token === undefined || token === '')
    throw new GoldgenError(
      'USAGE',
      `recording ${what} needs a write token: set GOLDGEN_TOKEN (goldgen token create --scope write) or pass token to createClient`,
    )
  if (options.offline === true) throw new GoldgenError('USAGE', `offline: cannot record ${what}`)
  const base = options.baseUrl.replace(/\/+$/, '')
  const tolerance = Object.entries(fixture.tolerances).map(
    ([c, t]) =>
      `tolerance=${encodeURIComponent(`${c}=${t.kind}${t.value === undefined ? '' : `:${t.value}`}`)}`,
  )
  const url = `${base}${fixture.expectedLink.replace(/\/expected$/, '')}?${['update=true', ...tolerance].join('&')}`
  let response: Response
  try {
    response = await (options.fetch ?? fetch)(url, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson' },
      body: toJsonl(rows),
    })
  } catch (e) {
    throw new GoldgenError('IO', `cannot reach the goldgen server at ${base}: ${(e as Error).message}`, {
      cause: e,
    })
  }
  const body = (await response.json()) as Omit<RecordedExpectation, 'model'> & { detail?: string }
  if (!response.ok)
    throw new GoldgenError(
      response.status === 409 ? 'CONFLICT' : response.status < 500 ? 'USAGE' : 'IO',
      `recording ${what}: ${body.detail ?? response.status}`,
    )
  const { dataset, id, replaced, sha256, rows: count } = body
  return { model: fixture.model, dataset, id, replaced, sha256, rows: count }
}
