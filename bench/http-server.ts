/**
 * A server process for the HTTP benchmark: `goldgen` (the real app over a registry) or `bare`
 * (node:http serving the same bytes with the same ETag, and 304s). Prints its URL on stdout.
 * argv: kind registryDir path
 */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { openRegistry } from '../registry/service.ts'
import { listen } from '../src/server/listen.ts'

const [kind, dir, path] = process.argv.slice(2) as [string, string, string]
const registry = await openRegistry({ dir })
if (kind === 'goldgen') {
  const server = await listen(registry, { host: '127.0.0.1', port: 0 })
  process.stdout.write(`${server.url}\n`)
} else {
  // The baseline: the same bytes from memory, with a precomputed ETag; no routing, no registry.
  const blob = await registry.representation('bench@1', 'csv')
  const bytes = readFileSync(blob.path)
  const etag = `"${createHash('sha256').update(bytes).digest('hex')}"`
  const server = createServer((req, res) => {
    if (req.url !== path) {
      res.writeHead(404).end()
      return
    }
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, { etag }).end()
      return
    }
    res.writeHead(200, { etag, 'content-type': 'text/csv', 'content-length': bytes.length }).end(bytes)
  })
  server.listen(0, '127.0.0.1', () => {
    const address = server.address() as { port: number }
    process.stdout.write(`http://127.0.0.1:${address.port}\n`)
  })
}
