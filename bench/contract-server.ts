/**
 * The trivial endpoint of the contract load benchmark: node:http answering every POST with a
 * fixed one-prediction body after reading the request, no model. Prints its URL on stdout.
 */
import { createServer } from 'node:http'

const body = Buffer.from('{"predictions":[0.5]}')
const server = createServer((req, res) => {
  req.resume()
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length }).end(body)
  })
})
server.keepAliveTimeout = 30_000
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as { port: number }
  process.stdout.write(`http://127.0.0.1:${port}\n`)
})
