/**
 * A throw-away S3-compatible server for tests: s3rver (real HTTP, S3's REST API and SigV4) in a
 * child process of its own (a fault inside it, e.g. on a client killed mid-upload, stays out of
 * the test process), on a free loopback port with a bucket `goldgen`, storing into a temporary
 * folder. `env` is what a client (or a spawned goldgen) needs to reach it: endpoint and
 * credentials the AWS way. It throws with the reason when it cannot start; a test that needs it
 * fails, never skips.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface S3Server {
  endpoint: string
  bucket: string
  /** The environment a client needs (AWS_ENDPOINT_URL, credentials, region). */
  env: Record<string, string>
  stop(): Promise<void>
}

const CHILD = `
const S3rver = require(process.env.S3RVER_PATH)
const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: process.env.S3RVER_DIR,
  configureBuckets: [{ name: process.env.S3RVER_BUCKET }] })
server.run().then(({ port }) => console.log('port ' + port), (e) => { console.error(e.message); process.exit(1) })
`

export async function startS3(bucket = 'goldgen'): Promise<S3Server> {
  const dir = mkdtempSync(join(tmpdir(), 'goldgen-s3-'))
  let path: string
  try {
    path = createRequire(import.meta.url).resolve('s3rver')
  } catch (e) {
    throw new Error(
      `cannot start the test S3 server: s3rver is not installed (npm ci): ${(e as Error).message}`,
    )
  }
  const child: ChildProcess = spawn(process.execPath, ['-e', CHILD], {
    env: { ...process.env, S3RVER_PATH: path, S3RVER_DIR: dir, S3RVER_BUCKET: bucket },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let port: number
  try {
    port = await new Promise<number>((resolve, reject) => {
      let out = ''
      let err = ''
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString()
        const m = /port (\d+)/.exec(out)
        if (m) resolve(Number(m[1]))
      })
      child.stderr!.on('data', (d: Buffer) => {
        err += d.toString()
      })
      child.once('exit', (code) => reject(new Error(`s3rver exited (${code}): ${err}`)))
      setTimeout(() => reject(new Error(`s3rver did not start within 20 s: ${err}`)), 20_000).unref()
    })
  } catch (e) {
    child.kill('SIGKILL')
    rmSync(dir, { recursive: true, force: true })
    throw new Error(`cannot start the test S3 server (s3rver): ${(e as Error).message}`)
  }
  const kill = () => child.kill('SIGKILL')
  process.once('exit', kill)
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
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r))
        child.kill('SIGTERM')
        await exited
      }
      process.removeListener('exit', kill)
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
