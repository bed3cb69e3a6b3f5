/**
 * One error class for everything goldgen reports to a user, with a closed set of codes.
 * Shells map codes to exit codes (CLI) or HTTP statuses (server); messages say where,
 * what was expected and how to fix it.
 */

/** The closed set of error codes. */
export type GoldgenErrorCode =
  | 'USAGE' // bad command-line arguments or options
  | 'SCHEMA_INVALID' // the dataset schema does not follow the language
  | 'PARSE' // a file is not valid YAML / JSON / CSV / Arrow
  | 'NOT_FOUND' // a file or reference does not exist
  | 'NOT_SUPPORTED' // valid input that this version of goldgen cannot honour
  | 'IO' // reading or writing failed
  | 'INTEGRITY' // stored content does not match its digest
  | 'CONFLICT' // the request contradicts something that is immutable
  | 'INTERNAL' // a bug in goldgen

/** A structured problem inside an input file: where (path), what (code), and a message. */
export interface Issue {
  code: string
  /** Path inside the document, e.g. `['columns', 'age', 'distribution', 'normal', 'sd']`. */
  path: (string | number)[]
  message: string
  /** 1-based line and column in the source file, when known. */
  line?: number
  column?: number
}

export interface GoldgenErrorOptions {
  /** The file the error is about, when there is one. */
  file?: string | undefined
  issues?: Issue[] | undefined
  cause?: unknown
}

export class GoldgenError extends Error {
  override readonly name = 'GoldgenError'
  readonly code: GoldgenErrorCode
  readonly file: string | undefined
  readonly issues: Issue[]

  constructor(code: GoldgenErrorCode, message: string, options: GoldgenErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.code = code
    this.file = options.file
    this.issues = options.issues ?? []
  }
}

/** Exit codes: 0 success, 1 runtime failure, 2 bad input, 70 internal error (EX_SOFTWARE). */
export const exitCodes: Record<GoldgenErrorCode, number> = {
  USAGE: 2,
  SCHEMA_INVALID: 2,
  PARSE: 2,
  NOT_FOUND: 2,
  NOT_SUPPORTED: 2,
  IO: 1,
  INTEGRITY: 1,
  CONFLICT: 2,
  INTERNAL: 70,
}

/** Formats an issue path the way users write it: `columns.age.distribution.normal.sd`, `values[2]`. */
export function formatPath(path: readonly (string | number)[]): string {
  let out = ''
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(part)) out += out === '' ? part : `.${part}`
    else out += `[${JSON.stringify(part)}]`
  }
  return out === '' ? '(top level)' : out
}

/** Formats an error for people: one headline, then one line per issue. No stack traces. */
export function formatError(error: GoldgenError): string {
  const where = error.file === undefined ? '' : `${error.file}: `
  const lines = [`${where}${error.message}`]
  for (const issue of error.issues) {
    const at = issue.line === undefined ? undefined : `line ${issue.line}, column ${issue.column ?? 1}`
    const where =
      issue.path.length > 0
        ? `${formatPath(issue.path)}${at === undefined ? '' : ` (${at})`}`
        : (at ?? '(top level)')
    lines.push(`  ${where}: ${issue.message}`)
  }
  return lines.join('\n')
}

/** Wraps anything thrown into a GoldgenError, keeping GoldgenErrors as they are. */
export function toGoldgenError(error: unknown): GoldgenError {
  if (error instanceof GoldgenError) return error
  const message = error instanceof Error ? error.message : String(error)
  return new GoldgenError('INTERNAL', `internal error: ${message}`, { cause: error })
}
