/**
 * `goldgen chaos`: each fault on a loopback echo server (latency, bandwidth, reset, timeout,
 * down, on new and live connections), the control API and the command as a process. Plans,
 * addresses and durations: test/chaos-plan.test.ts; `goldgen contract --chaos` end to end:
 * test/chaos-contract.test.ts.
 */
import { connect, createServer, type Server, type Socket } from 'node:net'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type FaultProxy, startProxy } from '../src/chaos/proxy.ts'
import { type Chaos, startChaos } from '../src/chaos/start.ts'
import { startChaosCli } from './fixtures/chaos/harness.ts'
import { cli } from './helpers.ts'

const local = (port: number) => ({ host: '127.0.0.1', port })
let echo: Server
let echoPort: number

beforeAll(async () => {
  echo = createServer((s) => {
    s.on('error', () => undefined)
    s.pipe(s)
  })
  await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r))
  echoPort = (echo.address() as { port: number }).port
})
afterAll(() => echo.close())

/** A connected client socket to `port` (rejects with the connect error). */
function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () => {
      s.off('error', reject)
      resolve(s)
    })
    s.once('error', reject)
  })
}

/** Writes `payload` and resolves with the milliseconds until all of it came back. */
function roundTrip(s: Socket, payload: Buffer): Promise<{ ms: number; data: Buffer }> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = []
    let got = 0
    const start = performance.now()
    const onData = (d: Buffer) => {
      parts.push(d)
      got += d.length
      if (got >= payload.length) {
        s.off('data', onData)
        resolve({ ms: performance.now() - start, data: Buffer.concat(parts) })
      }
    }
    s.on('data', onData)
    s.once('error', reject)
    s.write(payload)
  })
}

/** The error a socket ends with (or 'closed' when it just closes), within `ms`. */
function ending(s: Socket, ms = 3000): Promise<string> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve('still open'), ms)
    s.once('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer)
      resolve(e.code ?? e.message)
    })
    s.once('close', () => {
      clearTimeout(timer)
      resolve('closed')
    })
  })
}

async function withProxy(run: (p: FaultProxy) => Promise<void>): Promise<void> {
  const p = await startProxy(local(0), local(echoPort))
  try {
    await run(p)
  } finally {
    await p.close()
  }
}

describe('faults on a loopback echo server', () => {
  it('passes bytes unchanged with no fault (any payload)', async () => {
    await withProxy(async (p) => {
      const s = await open(p.address.port)
      await fc.assert(
        fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 4096 }), async (bytes) => {
          const { data } = await roundTrip(s, Buffer.from(bytes))
          expect(data.equals(Buffer.from(bytes))).toBe(true)
        }),
        { numRuns: 25 },
      )
      s.destroy()
    })
  })

  it('latency delays what the upstream sends, on new and live connections', async () => {
    await withProxy(async (p) => {
      const live = await open(p.address.port)
      await roundTrip(live, Buffer.from('warm'))
      await p.setFaults({ latency: { ms: 150, jitter_ms: 0 } })
      expect((await roundTrip(live, Buffer.from('live'))).ms).toBeGreaterThanOrEqual(148)
      const fresh = await open(p.address.port)
      expect((await roundTrip(fresh, Buffer.from('fresh'))).ms).toBeGreaterThanOrEqual(148)
      await p.setFaults({ latency: { ms: 120, jitter_ms: 60 } })
      for (let i = 0; i < 3; i++)
        expect((await roundTrip(fresh, Buffer.from('j'))).ms).toBeGreaterThanOrEqual(58)
      live.destroy()
      fresh.destroy()
    })
  })

  it('bandwidth paces the bytes and keeps them intact', async () => {
    await withProxy(async (p) => {
      const s = await open(p.address.port)
      await roundTrip(s, Buffer.from('warm'))
      await p.setFaults({ bandwidth: { kbps: 80 } }) // 10,000 bytes per second, on this live connection too
      const payload = Buffer.alloc(5000, 7)
      for (let i = 0; i < payload.length; i++) payload[i] = i % 251
      const { ms, data } = await roundTrip(s, payload)
      expect(data.equals(payload)).toBe(true)
      expect(ms).toBeGreaterThanOrEqual(400) // 5,000 bytes at 10 bytes/ms, less the first slice
      s.destroy()
    })
  })

  it('reset sends an RST to new connections and to live ones on their next chunk', async () => {
    await withProxy(async (p) => {
      const live = await open(p.address.port)
      await roundTrip(live, Buffer.from('before'))
      await p.setFaults({ reset: { probability: 1 } })
      const liveEnd = ending(live)
      live.write('after')
      expect(await liveEnd).toBe('ECONNRESET')
      const fresh = connect(p.address.port, '127.0.0.1')
      expect(await ending(fresh)).toBe('ECONNRESET')
      await p.setFaults({ reset: { probability: 0 } })
      const ok = await open(p.address.port)
      expect((await roundTrip(ok, Buffer.from('fine'))).data.toString()).toBe('fine')
      ok.destroy()
    })
  })

  it('timeout accepts but never answers; held bytes flow once it is cleared', async () => {
    await withProxy(async (p) => {
      await p.setFaults({ timeout: {} })
      const s = await open(p.address.port)
      let got = ''
      s.on('data', (d) => {
        got += String(d)
      })
      s.write('held')
      await new Promise((r) => setTimeout(r, 400))
      expect(got).toBe('')
      expect(s.destroyed).toBe(false)
      const arrived = new Promise((r) => s.once('data', r))
      await p.setFaults({})
      await Promise.race([arrived, new Promise((r) => setTimeout(r, 5000))])
      expect(got).toBe('held')
      s.destroy()
    })
  })

  it('down refuses connects (the listener is closed), drops live ones, and listens again when cleared', async () => {
    await withProxy(async (p) => {
      const live = await open(p.address.port)
      const liveEnd = ending(live)
      await p.setFaults({ down: {} })
      expect(p.listening()).toBe(false)
      expect(await liveEnd).toBe('closed')
      await expect(open(p.address.port)).rejects.toMatchObject({ code: 'ECONNREFUSED' })
      await p.setFaults({})
      expect(p.listening()).toBe(true)
      const again = await open(p.address.port)
      expect((await roundTrip(again, Buffer.from('back'))).data.toString()).toBe('back')
      again.destroy()
    })
  })
})

describe('the control API', () => {
  let chaos: Chaos
  beforeAll(async () => {
    chaos = await startChaos({ listen: local(0), upstream: local(echoPort), control: local(0) })
  })
  afterAll(() => chaos.close())
  const call = async (method: string, body?: string, path = '/faults') => {
    const res = await fetch(`${chaos.control.url}${path}`, {
      method,
      ...(body === undefined ? {} : { body }),
    })
    return {
      status: res.status,
      type: res.headers.get('content-type'),
      json: (await res.json()) as Record<string, unknown>,
    }
  }

  it('GET, PUT (replaces the whole set) and DELETE /faults', async () => {
    expect(await call('GET')).toMatchObject({ status: 200, json: {} })
    const put = await call('PUT', JSON.stringify({ latency: { ms: 30 }, reset: { probability: 0.25 } }))
    expect(put).toMatchObject({
      status: 200,
      json: { latency: { ms: 30, jitter_ms: 0 }, reset: { probability: 0.25 } },
    })
    expect(chaos.proxy.faults()).toEqual(put.json)
    const replaced = await call('PUT', JSON.stringify({ bandwidth: { kbps: 64 } }))
    expect(replaced.json).toEqual({ bandwidth: { kbps: 64 } })
    expect((await call('GET')).json).toEqual({ bandwidth: { kbps: 64 } })
    expect(await call('DELETE')).toMatchObject({ status: 200, json: {} })
    expect(chaos.proxy.faults()).toEqual({})
  })

  it('a bad fault object is a 400 problem naming the path; the faults stay as they were', async () => {
    await call('PUT', JSON.stringify({ timeout: {} }))
    const negative = await call('PUT', JSON.stringify({ latency: { ms: -5 } }))
    expect(negative.status).toBe(400)
    expect(negative.type).toBe('application/problem+json')
    expect(negative.json.detail).toContain('latency.ms')
    expect(negative.json.errors).toEqual([
      { path: 'latency.ms', message: 'expected milliseconds ≥ 0, got -5' },
    ])
    const unknown = await call('PUT', JSON.stringify({ latncy: { ms: 5 } }))
    expect(unknown.status).toBe(400)
    expect(String(unknown.json.detail)).toMatch(
      /latncy.*unknown fault "latncy"; expected one of latency, bandwidth/,
    )
    const prob = await call('PUT', JSON.stringify({ reset: { probability: 2 } }))
    expect((prob.json.errors as { path: string }[])[0]!.path).toBe('reset.probability')
    const notJson = await call('PUT', '{latency')
    expect(notJson).toMatchObject({ status: 400, json: { code: 'PARSE' } })
    expect(chaos.proxy.faults()).toEqual({ timeout: {} })
    expect((await call('POST', '{}')).status).toBe(405)
    expect((await call('GET', undefined, '/nope')).status).toBe(404)
    await call('DELETE')
  })
})

describe('goldgen chaos, the command', () => {
  it('proxies, and stops cleanly on SIGTERM (exit 0)', async () => {
    const c = await startChaosCli(`127.0.0.1:${echoPort}`)
    const s = await open(Number(c.proxy.split(':')[1]))
    expect((await roundTrip(s, Buffer.from('through the cli'))).data.toString()).toBe('through the cli')
    const res = await fetch(`${c.control}/faults`, { method: 'PUT', body: '{"down": {}}' })
    expect(res.status).toBe(200)
    const code = new Promise<number | null>((r) => c.child.once('exit', (code) => r(code)))
    c.child.kill('SIGTERM')
    expect(await code).toBe(0)
    expect(c.output()).toContain('goldgen chaos: stopped')
  })

  it('a port in use is exit 1 naming the address; a malformed address is exit 2', async () => {
    const taken = createServer()
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r))
    const port = (taken.address() as { port: number }).port
    try {
      const r = cli([
        'chaos',
        '--listen',
        `127.0.0.1:${port}`,
        '--upstream',
        `127.0.0.1:${echoPort}`,
        '--control',
        '127.0.0.1:0',
      ])
      expect(r.code).toBe(1)
      expect(r.stderr).toContain(
        `cannot listen for connections on 127.0.0.1:${port}: the address is already in use`,
      )
      const c = cli([
        'chaos',
        '--listen',
        '127.0.0.1:0',
        '--upstream',
        `127.0.0.1:${echoPort}`,
        '--control',
        `127.0.0.1:${port}`,
      ])
      expect(c.code).toBe(1)
      expect(c.stderr).toContain(`cannot listen for the control API on 127.0.0.1:${port}`)
    } finally {
      taken.close()
    }
    const bad = cli([
      'chaos',
      '--listen',
      'nowhere',
      '--upstream',
      `127.0.0.1:${echoPort}`,
      '--control',
      '127.0.0.1:0',
    ])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('--listen "nowhere" is not HOST:PORT')
  })

  it('--help lists the faults', () => {
    const r = cli(['chaos', '--help'])
    expect(r.code).toBe(0)
    for (const f of ['latency', 'bandwidth', 'reset', 'timeout', 'down'])
      expect(r.stdout).toContain(`{"${f}"`)
  })
})
