/**
 * A throw-away PostgreSQL 15 server for tests, from Debian's packages: a cluster of its own in a
 * temporary folder (initdb refuses root, so it runs as the `postgres` user through runuser), on a
 * free loopback port and a socket folder of its own, durability switched off for speed. It throws
 * with the reason when it cannot start: a test that needs it fails, it is never skipped.
 */
import { execFileSync } from 'node:child_process'
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from './port.ts'

const BIN = '/usr/lib/postgresql/15/bin'

export interface PostgresServer {
  port: number
  /** A URL for database `db` (default `postgres`), as user `goldgen`. */
  url(db?: string): string
  /** Creates a new database (a copy of `template` when given) and returns its URL. */
  createDatabase(name: string, template?: string): Promise<string>
  stop(): void
}

function run(args: string[], what: string): string {
  try {
    return execFileSync('runuser', ['-u', 'postgres', '--', ...args], { encoding: 'utf8', stdio: 'pipe' })
  } catch (e) {
    const err = e as { stderr?: string; message: string }
    throw new Error(`cannot ${what} for the test PostgreSQL server: ${err.stderr || err.message}`)
  }
}

/** Starts a fresh cluster; call `stop()` in afterAll. */
export async function startPostgres(): Promise<PostgresServer> {
  if (!existsSync(join(BIN, 'initdb')))
    throw new Error(
      `PostgreSQL 15 is not installed (${BIN}/initdb is missing): apt-get install -y postgresql (.ci/run does this)`,
    )
  const root = mkdtempSync(join(tmpdir(), 'goldgen-pg-'))
  chmodSync(root, 0o777)
  const data = join(root, 'data')
  const port = await freePort()
  execFileSync('chown', ['postgres', root])
  run(
    [join(BIN, 'initdb'), '-D', data, '-U', 'goldgen', '-A', 'trust', '--no-sync', '-E', 'UTF8'],
    'run initdb',
  )
  const options = `-p ${port} -k ${root} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`
  run(
    [join(BIN, 'pg_ctl'), '-D', data, '-l', join(root, 'log'), '-o', options, '-w', '-t', '30', 'start'],
    'start postgres',
  )
  let stopped = false
  const stop = () => {
    if (stopped) return
    stopped = true
    try {
      run([join(BIN, 'pg_ctl'), '-D', data, '-m', 'immediate', '-w', 'stop'], 'stop postgres')
    } catch {
      // Last resort: the postmaster's pid is the first line of postmaster.pid.
      try {
        process.kill(Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]), 'SIGQUIT')
      } catch {
        // already gone
      }
    }
    rmSync(root, { recursive: true, force: true })
  }
  process.once('exit', stop)
  const url = (db = 'postgres') => `postgres://goldgen@127.0.0.1:${port}/${db}`
  return {
    port,
    url,
    async createDatabase(name, template) {
      const { default: pg } = await import('pg')
      const client = new pg.Client({ connectionString: url() })
      await client.connect()
      try {
        await client.query(`create database "${name}"${template ? ` template "${template}"` : ''}`)
      } finally {
        await client.end()
      }
      return url(name)
    },
    stop,
  }
}
