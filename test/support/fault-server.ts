import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';

/** What the fault server does with one request. */
export type Fault =
  | { kind: 'reset' }
  | { kind: 'stall'; ms: number }
  | { kind: 'stall-body'; ms: number }
  | { kind: 'answer'; status: number; headers?: Record<string, string>; body?: string }
  /** Decides from the request itself, for servers with behaviour such as paging. */
  | { kind: 'compute'; respond: (request: RecordedRequest) => Fault };

export const json = (status: number, body: unknown, headers: Record<string, string> = {}): Fault => ({
  kind: 'answer',
  status,
  headers: { 'content-type': 'application/json', 'metorial-req-id': `req_${status}`, ...headers },
  body: JSON.stringify(body),
});

export const apiError = (status: number, code: string, headers: Record<string, string> = {}): Fault =>
  json(status, { object: 'error', status, code, message: `A ${code} error.`, hint: 'Do something else.' }, headers);

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/**
 * A real HTTP server on 127.0.0.1 that answers each request with the next scripted fault, so the
 * client's retries, timeouts and error mapping are tested over real sockets, not a mocked fetch.
 */
export class FaultServer {
  readonly requests: RecordedRequest[] = [];
  private script: Fault[] = [];
  private fallback: Fault = json(200, { ok: true });
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly server: Server;

  private constructor() {
    this.server = createServer((request, response) => void this.handle(request, response));
  }

  static async start(): Promise<FaultServer> {
    const fault = new FaultServer();
    await new Promise<void>((resolve) => fault.server.listen(0, '127.0.0.1', resolve));
    return fault;
  }

  /** Delayed answers still waiting for their time. */
  get pendingTimers(): number {
    return this.timers.size;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The answers to the next requests, in order; after them, `then` (by default 200 `{ok: true}`). */
  plan(faults: Fault[], then: Fault = json(200, { ok: true })): void {
    this.script = [...faults];
    this.fallback = then;
    this.requests.length = 0;
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Acts after a delay, unless the client hangs up first (then nothing of ours stays pending). */
  private later(ms: number, response: ServerResponse, action: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      action();
    }, ms);
    this.timers.add(timer);
    response.once('close', () => {
      clearTimeout(timer);
      this.timers.delete(timer);
    });
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    let body = '';
    for await (const chunk of request) body += chunk;
    this.requests.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body });
    let fault = this.script.shift() ?? this.fallback;
    while (fault.kind === 'compute') fault = fault.respond(this.requests.at(-1)!);
    switch (fault.kind) {
      case 'reset':
        request.socket.destroy();
        return;
      case 'stall':
        this.later(fault.ms, response, () => response.writableEnded || response.destroyed || response.end('{}'));
        return;
      case 'stall-body':
        response.writeHead(200, { 'content-type': 'application/json' });
        response.write('{"object":');
        this.later(fault.ms, response, () => response.destroyed || response.end('"list"}'));
        return;
      case 'answer':
        response.writeHead(fault.status, fault.headers ?? {});
        response.end(fault.body ?? '');
    }
  }
}

/**
 * Everything a caller might print or log of an error (or any value): its message, stack, JSON and
 * `util.inspect` with hidden properties, joined. A secret must appear in none of it.
 */
export function everythingShown(value: unknown): string {
  return [String(value), String((value as Error | undefined)?.message), String((value as Error | undefined)?.stack), JSON.stringify(value), inspect(value, { depth: 10, showHidden: true })].join('\n');
}
