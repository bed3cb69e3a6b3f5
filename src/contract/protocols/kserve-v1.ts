/**
 * KServe's v1 protocol: readiness `GET /v1/models/{m}`, `POST /v1/models/{m}:predict` with
 * `{"instances": [row objects]}` → `{"predictions": […]}`; errors `{"error": "…"}`.
 * JSON carries null but not NaN/±Infinity.
 */
import { decodePredictions, isRecord, type Protocol, rowObjects, strictJsonUnsendable } from './types.ts'

export const kserveV1: Protocol = {
  name: 'kserve-v1',
  health: (m) => [{ label: 'model ready', path: `/v1/models/${encodeURIComponent(m)}` }],
  inferPath: (m) => `/v1/models/${encodeURIComponent(m)}:predict`,
  unsendable: strictJsonUnsendable,
  encode: (rows, inputs) => JSON.stringify({ instances: rowObjects(rows, inputs) }),
  decode: (json, n, outputs) =>
    isRecord(json) && 'predictions' in json
      ? decodePredictions(json.predictions, n, outputs)
      : { rows: [], problems: ['expected a {"predictions": […]} body'], notes: [] },
  errorShape: '{"error": "…"}',
  isErrorBody: (json) => isRecord(json) && typeof json.error === 'string' && json.error !== '',
}
