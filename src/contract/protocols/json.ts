/**
 * Plain JSON: a JSON array of row objects POSTed to the endpoint URL itself, answered by a JSON
 * array (or `{"predictions": […]}`); readiness is a GET of the same URL answering below 500.
 * Errors: a JSON object with `error`, `message` or `detail`. JSON carries null, not NaN/±Infinity.
 */
import { decodePredictions, isRecord, type Protocol, rowObjects, strictJsonUnsendable } from './types.ts'

export const json: Protocol = {
  name: 'json',
  health: () => [{ label: 'endpoint answers', path: '', below500: true }],
  inferPath: () => '',
  unsendable: strictJsonUnsendable,
  encode: (rows, inputs) => JSON.stringify(rowObjects(rows, inputs)),
  decode: (body, n, outputs) =>
    decodePredictions(isRecord(body) && 'predictions' in body ? body.predictions : body, n, outputs),
  errorShape: 'a JSON object with "error", "message" or "detail"',
  isErrorBody: (body) =>
    isRecord(body) &&
    ['error', 'message', 'detail'].some((k) => body[k] !== undefined && body[k] !== null && body[k] !== ''),
}
