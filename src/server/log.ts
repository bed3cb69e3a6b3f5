/**
 * The server's error log: every 5xx answer and every aborted response is written to standard
 * error with its cause, one line of JSON each, so an operator can find why a request failed.
 */
import { GoldgenError } from '../core/errors.ts'

/** Where server errors go (tests replace it to capture them). */
export const serverLog = { write: (line: string) => void process.stderr.write(line) }

/** Logs an error and what caused it, with the request it happened in when known. */
export function logServerError(error: unknown, request?: { method: string; url: string }): void {
  const causes: string[] = []
  for (let e: unknown = error; e !== undefined && causes.length < 5; e = (e as Error).cause) {
    causes.push(e instanceof Error ? (e.stack ?? `${e.name}: ${e.message}`) : String(e))
  }
  const entry = {
    time: new Date().toISOString(),
    level: 'error',
    ...(request === undefined ? {} : { method: request.method, url: request.url }),
    code: error instanceof GoldgenError ? error.code : 'INTERNAL',
    message: error instanceof Error ? error.message : String(error),
    causes,
  }
  serverLog.write(`${JSON.stringify(entry)}\n`)
}
