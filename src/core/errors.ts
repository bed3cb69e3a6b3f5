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

/**
 * The reader of standard output went away (`goldgen generate … -o - | head -1`). Not a failure:
 * as Unix tools do, the run ends quietly with exit 0.
 */
export class OutputClosed extends GoldgenError {
  constructor(cause: unknown) {
    super('IO', 'the reader of standard output closed it', { cause })
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

/** The most issues, and characters of one message, an error shows (so its size is bounded). */
const SHOWN_ISSUES = 50
const SHOWN_CHARS = 1000

const clip = (s: string) => (s.length > SHOWN_CHARS ? `${s.slice(0, SHOWN_CHARS - 1)}…` : s)

/**
 * Formats an error for people: one headline, then one line per issue (at most 50, each message
 * at most 1,000 characters, then how many more there are). No stack traces.
 */
export function formatError(error: GoldgenError): string {
  const where = error.file === undefined ? '' : `${error.file}: `
  const lines = [clip(`${where}${error.message}`)]
  for (const issue of error.issues.slice(0, SHOWN_ISSUES)) {
    const at = issue.line === undefined ? undefined : `line ${issue.line}, column ${issue.column ?? 1}`
    const where =
      issue.path.length > 0
        ? `${formatPath(issue.path)}${at === undefined ? '' : ` (${at})`}`
        : (at ?? '(top level)')
    lines.push(clip(`  ${where}: ${issue.message}`))
  }
  const more = error.issues.length - SHOWN_ISSUES
  if (more > 0) lines.push(`  … and ${more} more problem${more === 1 ? '' : 's'}`)
  return lines.join('\n')
}

/**
 * Why a write failed, in words, when the cause is the machine's and not goldgen's: a full disk
 * (ENOSPC, EDQUOT, SQLITE_FULL) or an address in use. Undefined for anything else.
 */
export function systemCause(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code
  if (code === 'ENOSPC' || code === 'SQLITE_FULL') return 'disk full (no space left on the device)'
  if (code === 'EDQUOT') return 'disk full (the disk quota is exceeded)'
  if (code === 'EADDRINUSE') return 'the address is already in use'
  return undefined
}

/** A write of `path` that failed: "cannot write PATH: disk full (…)" when the disk is full. */
export function writeFailure(path: string, error: unknown, what = 'write'): GoldgenError {
  if (error instanceof GoldgenError) return error
  const why = systemCause(error) ?? (error instanceof Error ? error.message : String(error))
  return new GoldgenError('IO', `cannot ${what} ${path}: ${why}`, { cause: error })
}

/** Wraps anything thrown into a GoldgenError, keeping GoldgenErrors as they are. */
export function toGoldgenError(error: unknown): GoldgenError {
  if (error instanceof GoldgenError) return error
  // The machine's failures (a full disk, a taken port) are runtime failures, not goldgen's bugs.
  const cause = systemCause(error)
  if (cause !== undefined) {
    const e = error as { dest?: unknown; path?: unknown; address?: unknown; port?: unknown }
    const where =
      typeof e.address === 'string'
        ? `cannot listen on ${e.address}:${String(e.port ?? '')}: `
        : typeof e.dest === 'string' || typeof e.path === 'string'
          ? `cannot write ${String(e.dest ?? e.path)}: `
          : ''
    return new GoldgenError('IO', `${where}${cause}`, { cause: error })
  }
  const message = error instanceof Error ? error.message : String(error)
  return new GoldgenError('INTERNAL', `internal error: ${message}`, { cause: error })
}

/** Describes a value in an error message: `-1`, `"abc"`, `a list of 2`, `a mapping`, `nothing`. */
export function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing'
  if (v === null) return 'null'
  if (Array.isArray(v)) return `a list of ${v.length}`
  if (typeof v === 'object') return 'a mapping'
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v)
  return String(v)
}
