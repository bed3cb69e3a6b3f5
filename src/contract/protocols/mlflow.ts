/**
 * MLflow's scoring server: `GET /ping`, `POST /invocations` with
 * `{"dataframe_split": {"columns", "data"}}` → `{"predictions": […]}`; errors carry
 * `error_code`. Its JSON reader (Python's) takes null and the tokens NaN and ±Infinity, so every
 * value is sendable.
 */
import { stringifyNonFinite } from '../values.ts'
import { decodePredictions, isRecord, type Protocol, rowObjects } from './types.ts'

export const mlflow: Protocol = {
  name: 'mlflow',
  health: () => [{ label: 'ping', path: '/ping' }],
  inferPath: () => '/invocations',
  unsendable: () => undefined,
  encode(rows, inputs) {
    const objects = rowObjects(rows, inputs)
    const columns = inputs.map((i) => i.name).filter((n) => objects.some((o) => n in o))
    return stringifyNonFinite({
      dataframe_split: { columns, data: objects.map((o) => columns.map((c) => (c in o ? o[c] : null))) },
    })
  },
  decode: (json, n, outputs) =>
    isRecord(json) && 'predictions' in json
      ? decodePredictions(json.predictions, n, outputs)
      : { rows: [], problems: ['expected a {"predictions": […]} body'], notes: [] },
  errorShape: '{"error_code": "…", "message": "…"}',
  isErrorBody: (json) => isRecord(json) && typeof json.error_code === 'string' && json.error_code !== '',
}
