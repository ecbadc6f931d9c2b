import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A server the dev loop can replace: where it listens on this machine, and how to stop it. */
export interface Backend {
  port: number;
  close(): Promise<void>;
}

/**
 * A fixed address (127.0.0.1:port) in front of a backend that is replaced on every rebuild: a new
 * backend is started beside the old one, then requests go to it, then the old one is closed. So a
 * caller never meets a half-loaded spec or a refused connection; before the first backend, the
 * answer is a 503 that says so.
 */
export class HotSwapServer {
  private backend: Backend | undefined;
  private constructor(private readonly server: Server, readonly url: string, private readonly name: string) {}

  /** Listens on 127.0.0.1:`port` (0: a free port). */
  static async listen(port: number, name: string): Promise<HotSwapServer> {
    let self: HotSwapServer | undefined;
    const server = createServer((req, res) => {
      const backend = self?.backend;
      if (!backend) {
        res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' });
        res.end(JSON.stringify({ object: 'error', status: 503, code: 'service_unavailable', message: `The dev ${name} is loading the spec; retry in a moment.` }));
        return;
      }
      const upstream = request({ host: '127.0.0.1', port: backend.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', (error) => {
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ object: 'error', status: 502, code: 'bad_gateway', message: `The dev ${name} did not answer: ${error.message}` }));
      });
      req.pipe(upstream);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    self = new HotSwapServer(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`, name);
    return self;
  }

  /** Starts the next backend with `start`, sends requests to it once it listens, then closes the previous one. */
  async swap(start: () => Promise<Backend>): Promise<void> {
    const next = await start();
    const previous = this.backend;
    this.backend = next;
    await previous?.close();
  }

  async close(): Promise<void> {
    await this.backend?.close();
    this.backend = undefined;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
