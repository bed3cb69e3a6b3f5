/**
 * Request bodies that are data files (Arrow, CSV, JSONL): saved to a temporary file named for
 * the media type, in the registry's own temporary folder, for the registry to read.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Context } from 'hono'
import type { Registry } from '../../registry/service.ts'
import { GoldgenError } from '../core/errors.ts'

const dataTypes: Record<string, string> = {
  'application/vnd.apache.arrow.stream': '.arrow',
  'application/vnd.apache.arrow.file': '.feather',
  'text/csv': '.csv',
  'application/x-ndjson': '.jsonl',
  'application/jsonl': '.jsonl',
}

/** Saves a request body (a data file) to a temporary file named for its media type. */
export async function bodyToFile(c: Context, dir: string): Promise<string> {
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase()
  const extension = dataTypes[type]
  if (extension === undefined)
    throw new GoldgenError(
      'USAGE',
      `unsupported Content-Type ${JSON.stringify(type)}; send ${Object.keys(dataTypes).join(', ')}`,
    )
  mkdirSync(dir, { recursive: true })
  const file = join(
    dir,
    `upload-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}${extension}`,
  )
  writeFileSync(file, Buffer.from(await c.req.arrayBuffer()))
  return file
}

/** Where uploads wait while the registry reads them. */
export const uploadsDir = (registry: Registry) => join(registry.dir, 'objects', 'tmp')
