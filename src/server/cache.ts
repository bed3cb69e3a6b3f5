/**
 * The representation cache the app and the node:http fast path share: what each numbered
 * version's data (or one table of a multi-table version) is in each format (file, digest, media
 * type), resolved once — numbered versions never change — with the small ones also held in
 * memory as bytes verified against their digest, and the larger ones with a `FileCheck`
 * (`file-body.ts`) the fast path streams them with.
 */
import { createHash } from 'node:crypto'
import { readFileSync, statSync } from 'node:fs'
import type { Registry } from '../../registry/service.ts'
import { fileFingerprint } from '../core/files.ts'
import type { FormatName } from '../formats/index.ts'
import { scanFile } from './file-body.ts'
import type { Representation } from './http.ts'

/** The largest representation kept in memory, in bytes. */
const SMALL = 1 << 20

/**
 * Representations of numbered versions (digest, media type, path), resolved once: numbered
 * versions never change. Small ones are also kept in memory as the verified bytes read from the
 * store (default budget 64 MiB, each at most 1 MiB).
 */
export interface RepresentationCache {
  /** `table` names one table of a multi-table version. */
  get(ref: string, format: FormatName, table?: string): Promise<Representation>
  /** What `get` has already resolved for `ref`+`format`, without touching the registry. */
  peek(ref: string, format: FormatName): Representation | undefined
}

export function createRepresentationCache(
  registry: Registry,
  memoryBytes = 64 * 1024 * 1024,
): RepresentationCache {
  const resolved = new Map<string, Representation>()
  // What each streamed representation's file looked like when the store verified it: checked
  // before each response, and a file that differs is verified again (or refused) by the store.
  const fingerprints = new Map<string, string>()
  let memoryLeft = memoryBytes
  return {
    peek: (ref, format) => resolved.get(`${ref}#${format}`),
    async get(ref, format, table) {
      const key = table === undefined ? `${ref}#${format}` : `${ref}/${table}#${format}`
      let found = resolved.get(key)
      if (found !== undefined && found.bytes === undefined && !unchanged(found.path, fingerprints.get(key))) {
        resolved.delete(key)
        found = undefined
      }
      if (found === undefined) {
        const r = await registry.representation(ref, format, table)
        found = { path: r.path, sha256: r.sha256, mediaType: r.mediaType }
        fingerprints.set(key, fileFingerprint(r.path))
        const size = statSync(r.path).size
        if (size <= SMALL && size <= memoryLeft) {
          const bytes = new Uint8Array(readFileSync(r.path))
          if (createHash('sha256').update(bytes).digest('hex') === r.sha256) {
            found.bytes = bytes
            memoryLeft -= size
          }
        }
        if (found.bytes === undefined) {
          const check = scanFile(r.path, r.sha256)
          if (check !== undefined) {
            found.check = check
            fingerprints.set(key, check.fingerprint)
          }
        }
        resolved.set(key, found)
      }
      return found
    },
  }
}

function unchanged(path: string, fingerprint: string | undefined): boolean {
  try {
    return fileFingerprint(path) === fingerprint
  } catch {
    return false
  }
}
