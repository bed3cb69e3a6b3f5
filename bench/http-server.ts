/**
 * A server process for the HTTP benchmark: `goldgen` (the real server over a registry, as
 * `goldgen serve` runs it) or `bare` (node:http serving the same bytes with the same ETag, and
 * 304s: the small fixture from memory, the large one streamed from its file on disk with
 * fs.createReadStream, as a plain static file server would). Prints its URL on stdout.
 * argv: kind registryDir
 */
import { createHash } from 'node:crypto'
import { createReadStream, readFileSync, statSync } from 'node:fs'
import { createServer } from 'node:http'
import { openRegistry } from '../registry/service.ts'
import { listen } from '../src/server/listen.ts'

const [kind, dir] = process.argv.slice(2) as [string, string]
const registry = await openRegistry({ dir })
if (kind === 'goldgen') {
  const server = await listen(registry, { host: '127.0.0.1', port: 0 })
  process.stdout.write(`${server.url}\n`)
} else {
  // The baseline: no routing, no registry, no checks; ETags computed once at start.
  const small = await registry.representation('bench@1', 'csv')
  const large = await registry.representation('large@1', 'csv')
  const bytes = readFileSync(small.path)
  const smallEtag = `"${createHash('sha256').update(bytes).digest('hex')}"`
  const largeEtag = `"${large.sha256}"`
  const largeSize = statSync(large.path).size
  const server = createServer((req, res) => {
    if (req.url === '/v1/datasets/bench/versions/1/data?format=csv') {
      if (req.headers['if-none-match'] === smallEtag) {
        res.writeHead(304, { etag: smallEtag }).end()
        return
      }
      res
        .writeHead(200, { etag: smallEtag, 'content-type': 'text/csv', 'content-length': bytes.length })
        .end(bytes)
      return
    }
    if (req.url === '/v1/datasets/large/versions/1/data?format=csv') {
      if (req.headers['if-none-match'] === largeEtag) {
        res.writeHead(304, { etag: largeEtag }).end()
        return
      }
      res.writeHead(200, { etag: largeEtag, 'content-type': 'text/csv', 'content-length': largeSize })
      createReadStream(large.path).pipe(res)
      return
    }
    res.writeHead(404).end()
  })
  server.listen(0, '127.0.0.1', () => {
    const address = server.address() as { port: number }
    process.stdout.write(`http://127.0.0.1:${address.port}\n`)
  })
}
