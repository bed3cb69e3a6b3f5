/**
 * Verified downloads: every response body must hash to the server's strong ETag (its content
 * digest) and to the lock file's pin, else an INTEGRITY error and nothing is cached; the lock
 * and cache answer first, and offline mode never touches the network.
 */
import { GoldgenError } from '../core/errors.ts'
import { type localStore, sha256 } from './store.ts'

export interface DownloadOptions {
  baseUrl: string
  token?: string | undefined
  cacheDir?: string | undefined
  lockFile?: string | undefined
  offline?: boolean | undefined
  fetch?: typeof fetch | undefined
}

export function createDownloader(options: DownloadOptions, store: ReturnType<typeof localStore>) {
  const base = options.baseUrl.replace(/\/+$/, '')
  const doFetch = options.fetch ?? fetch
  const headers: Record<string, string> =
    options.token === undefined ? {} : { authorization: `Bearer ${options.token}` }
  const { readLock, pin, fromCache, cachePath, writeAtomic } = store

  const request = async (path: string, accept?: string): Promise<Response> => {
    if (options.offline === true)
      throw new GoldgenError('NOT_FOUND', `offline: ${path} is not in the cache or lock file`)
    let response: Response
    try {
      response = await doFetch(`${base}${path}`, {
        headers: { ...headers, ...(accept === undefined ? {} : { accept }) },
      })
    } catch (e) {
      throw new GoldgenError('IO', `cannot reach the goldgen server at ${base}: ${(e as Error).message}`, {
        cause: e,
      })
    }
    if (!response.ok) {
      let detail = `${response.status} ${response.statusText}`
      try {
        const body = (await response.json()) as { detail?: string }
        if (body.detail) detail = body.detail
      } catch {
        // not a problem+json body
      }
      throw new GoldgenError(
        response.status === 404 ? 'NOT_FOUND' : response.status < 500 ? 'USAGE' : 'IO',
        `${path}: ${detail}`,
      )
    }
    return response
  }

  /** Downloads (or reads from cache) a URL's content, verified against its digest. */
  const download = async (
    key: string,
    path: string,
  ): Promise<{ bytes: Uint8Array; mediaType: string; sha256: string }> => {
    const locked = readLock().entries[key]
    if (locked !== undefined) {
      const cached = fromCache(locked.sha256)
      if (cached !== undefined) return { bytes: cached, mediaType: locked.mediaType, sha256: locked.sha256 }
      if (options.offline === true)
        throw new GoldgenError(
          'NOT_FOUND',
          `offline: ${key} is pinned to ${locked.sha256.slice(0, 12)}… but that content is not in the cache ${options.cacheDir ?? '(no cacheDir)'}`,
        )
      path = locked.url
    } else if (options.offline === true) {
      throw new GoldgenError(
        'NOT_FOUND',
        `offline: ${key} is not in the lock file ${options.lockFile ?? '(no lockFile)'}`,
      )
    }
    const response = await request(path)
    const etag = response.headers.get('etag')?.replace(/^"|"$/g, '')
    const bytes = new Uint8Array(await response.arrayBuffer())
    const digest = sha256(bytes)
    if (etag === undefined || etag !== digest) {
      throw new GoldgenError(
        'INTEGRITY',
        `the download of ${key} does not match its digest (got ${digest.slice(0, 12)}…, the server said ${etag?.slice(0, 12) ?? 'nothing'}); nothing was cached`,
      )
    }
    if (locked !== undefined && locked.sha256 !== digest) {
      throw new GoldgenError(
        'INTEGRITY',
        `${key} is pinned to ${locked.sha256.slice(0, 12)}… in ${options.lockFile} but the server now serves ${digest.slice(0, 12)}…`,
      )
    }
    const cache = cachePath(digest)
    if (cache !== undefined) writeAtomic(cache, bytes)
    const final = new URL(response.url || `${base}${path}`)
    const mediaType = response.headers.get('content-type') ?? 'application/octet-stream'
    pin(key, { url: final.pathname + final.search, sha256: digest, mediaType })
    return { bytes, mediaType, sha256: digest }
  }

  return { request, download }
}
