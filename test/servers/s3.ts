/**
 * A throw-away S3-compatible server for tests: s3rver (real HTTP, S3's REST API and SigV4) on a
 * free loopback port with a bucket `goldgen`, storing into a temporary folder. `env` is what a
 * client (or a spawned goldgen) needs to reach it: endpoint and credentials the AWS way. It throws
 * with the reason when it cannot start; a test that needs it fails, never skips.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface S3Server {
  endpoint: string
  bucket: string
  /** The environment a client needs (AWS_ENDPOINT_URL, credentials, region). */
  env: Record<string, string>
  stop(): Promise<void>
}

export async function startS3(bucket = 'goldgen'): Promise<S3Server> {
  const dir = mkdtempSync(join(tmpdir(), 'goldgen-s3-'))
  let server: { run(): Promise<{ port: number }>; close(): Promise<void> }
  let port: number
  try {
    const module = 's3rver' // untyped: imported by name
    const { default: S3rver } = (await import(module)) as {
      default: new (o: object) => typeof server
    }
    server = new S3rver({
      port: 0,
      address: '127.0.0.1',
      silent: true,
      directory: dir,
      configureBuckets: [{ name: bucket }],
    })
    ;({ port } = await server.run())
  } catch (e) {
    rmSync(dir, { recursive: true, force: true })
    throw new Error(`cannot start the test S3 server (s3rver): ${(e as Error).message}`)
  }
  const endpoint = `http://127.0.0.1:${port}`
  return {
    endpoint,
    bucket,
    env: {
      AWS_ENDPOINT_URL: endpoint,
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
      AWS_REGION: 'us-east-1',
    },
    async stop() {
      await server.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
