/**
 * `HOST:PORT` addresses for `goldgen chaos` (`127.0.0.1:8474`, `localhost:0`, `[::1]:5432`):
 * parsing them with an error that names the flag, and writing them back.
 */
import { GoldgenError } from '../core/errors.ts'

export interface HostPort {
  host: string
  port: number
}

/**
 * Parses `HOST:PORT` (IPv6 hosts in brackets); `flag` names the option in the error.
 *
 * @example
 * ```ts
 * parseHostPort('--listen', '127.0.0.1:15432') // { host: '127.0.0.1', port: 15432 }
 * ```
 */
export function parseHostPort(flag: string, text: string): HostPort {
  const m = /^(?:\[([0-9A-Fa-f:.]+)\]|([^:[\]\s]+)):(\d{1,5})$/.exec(text.trim())
  const port = m === null ? Number.NaN : Number(m[3])
  if (m === null || port > 65535)
    throw new GoldgenError(
      'USAGE',
      `${flag} ${JSON.stringify(text)} is not HOST:PORT: expected e.g. 127.0.0.1:8474 (a port 0–65535; IPv6 hosts in brackets, [::1]:8474)`,
    )
  return { host: m[1] ?? m[2]!, port }
}

/** `host:port`, with an IPv6 host in brackets. */
export function formatHostPort(a: HostPort): string {
  return `${a.host.includes(':') ? `[${a.host}]` : a.host}:${a.port}`
}

/** Words for a failed listen: the address and why (in use, not permitted, not local). */
export function listenError(what: string, address: HostPort, e: unknown): GoldgenError {
  const code = (e as NodeJS.ErrnoException).code
  const why =
    code === 'EADDRINUSE'
      ? 'the address is already in use (is another proxy or server running there?)'
      : code === 'EACCES'
        ? 'permission denied (ports below 1024 need privileges)'
        : code === 'EADDRNOTAVAIL'
          ? 'that address is not on this machine'
          : code === 'ENOTFOUND' || code === 'EAI_AGAIN'
            ? 'the host name does not resolve'
            : ((e as Error).message ?? String(e))
  return new GoldgenError('IO', `cannot listen for ${what} on ${formatHostPort(address)}: ${why}`, {
    cause: e,
  })
}
