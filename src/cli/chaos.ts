/**
 * `goldgen chaos --listen HOST:PORT --upstream HOST:PORT --control HOST:PORT`: runs the TCP
 * fault proxy (src/chaos/) in the foreground until Ctrl-C or SIGTERM, then closes both
 * listeners and every proxied connection and exits 0. An address that cannot be bound is an
 * IO error naming it (exit 1). Argument parsing and printing only.
 */
import type { Command } from 'commander'
import type { CliIo } from './io.ts'

export function chaosCommand(program: Command, io: CliIo): void {
  program
    .command('chaos')
    .description('a TCP fault proxy between a served model and a dependency, faults switched over HTTP')
    .requiredOption('--listen <host:port>', 'where the model connects (it reaches the upstream through here)')
    .requiredOption('--upstream <host:port>', 'the dependency: a database, a feature store, a goldgen server')
    .requiredOption('--control <host:port>', 'the control API: GET, PUT and DELETE /faults')
    .addHelpText(
      'after',
      `
Faults (PUT /faults replaces the whole set; several keys put several on at once):
  {"latency": {"ms": 800, "jitter_ms": 100}}  delay what the upstream sends
  {"bandwidth": {"kbps": 64}}                  pace what the upstream sends (kilobits/s)
  {"reset": {"probability": 0.5}}              reset (TCP RST) new connections and live ones on their next request
  {"timeout": {}}                              accept, never answer (held bytes flow once cleared)
  {"down": {}}                                 close the listener (ECONNREFUSED), drop live connections

Example:
  goldgen chaos --listen 127.0.0.1:15432 --upstream 127.0.0.1:5432 --control 127.0.0.1:8474 &
  curl -X PUT -d '{"latency": {"ms": 800}}' http://127.0.0.1:8474/faults
  curl -X DELETE http://127.0.0.1:8474/faults`,
    )
    .action(async (opts: { listen: string; upstream: string; control: string }) => {
      const { GoldgenError } = await import('../core/errors.ts')
      const { formatHostPort, parseHostPort } = await import('../chaos/address.ts')
      const { startChaos } = await import('../chaos/start.ts')
      const listen = parseHostPort('--listen', opts.listen)
      const upstream = parseHostPort('--upstream', opts.upstream)
      const control = parseHostPort('--control', opts.control)
      if (formatHostPort(listen) === formatHostPort(upstream))
        throw new GoldgenError(
          'USAGE',
          `--listen and --upstream are both ${opts.listen}: the proxy would connect to itself`,
        )
      const chaos = await startChaos({ listen, upstream, control })
      io.stderr.write(
        `goldgen chaos: ${formatHostPort(chaos.proxy.address)} → ${formatHostPort(upstream)}, control API at ${chaos.control.url}/faults (Ctrl-C to stop)\n`,
      )
      await new Promise<void>((done) => {
        let stopping = false
        // The listeners stay on: bin.ts raises the signal again after its own clean-up, and that
        // second signal must not cut the close short (the process ends once everything is closed).
        const stop = () => {
          if (stopping) return
          stopping = true
          void chaos.close().then(() => {
            io.stderr.write('goldgen chaos: stopped\n')
            done()
          })
        }
        process.on('SIGINT', stop)
        process.on('SIGTERM', stop)
      })
    })
}
