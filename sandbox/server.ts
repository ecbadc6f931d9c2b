import { randomFillSync } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import FindMyWay from 'find-my-way';
import type { OpenAPI3 } from 'openapi-typescript';
import qs from 'qs';
import { Engine, type EngineOptions } from './engine.ts';
import { badRequest, SandboxError } from './errors.ts';
import { type FaultOptions, Faults } from './faults.ts';
import { readModel, type RouteModel } from './model.ts';
import { generateSeed, type SeedOptions } from './seed.ts';

export interface SandboxServerOptions extends SeedOptions, EngineOptions {
  /** The bundled OpenAPI document (JSON, parsed). */
  document: OpenAPI3;
  /** Faults on every request (latency, error answers); per request they are asked with headers. */
  faults?: FaultOptions;
  /** Request bodies above this many bytes are a 413. Default 1 MB. */
  maxBodyBytes?: number;
}

export interface SandboxServer {
  server: Server;
  engine: Engine;
  /** Starts listening on 127.0.0.1 (`port` 0 picks a free one); resolves the base URL. */
  listen(port?: number): Promise<string>;
  close(): Promise<void>;
}

/** Control routes live under this prefix, outside the API's paths. */
export const controlPrefix = '/_sandbox';

const allowedHeaders = 'Authorization, Content-Type, Metorial-Version, Prefer, X-Sandbox-Fault, X-Sandbox-Latency-Ms';
const exposedHeaders = 'metorial-req-id, Retry-After, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, Allow, sl-violations';

/**
 * CORS for every answer: any origin may call the sandbox, a page opened from disk (`Origin: null`)
 * included. No cookies are used (the key is a header), so `*` is enough and safe.
 */
function setCors(request: IncomingMessage, response: ServerResponse): void {
  response.setHeader('Access-Control-Allow-Origin', '*');
  response.setHeader('Access-Control-Expose-Headers', exposedHeaders);
  if (request.headers.origin) response.setHeader('Vary', 'Origin');
}

/** Random bytes for request ids, drawn from the system in batches (one call per 256 ids, not one per request). */
const idBytes = Buffer.alloc(15 * 256);
let idAt = idBytes.length;

/** A request id as the API's look: `req_` and 20 base64url characters of 15 random bytes. */
function requestId(): string {
  if (idAt + 15 > idBytes.length) {
    randomFillSync(idBytes);
    idAt = 0;
  }
  idAt += 15;
  return `req_${idBytes.toString('base64url', idAt - 15, idAt)}`;
}

function send(request: IncomingMessage, response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}, text?: () => string): void {
  setCors(request, response);
  response.setHeader('metorial-req-id', requestId());
  for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
  if (body === undefined) {
    response.writeHead(status).end();
    return;
  }
  // Written as a string: a Buffer made per answer (28 KB outside the heap for a page) made the process
  // slower and slower under load (34,000 answers in 5 s at first, 15,000 within a minute, measured).
  const json = text ? text() : JSON.stringify(body);
  response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(json) });
  // HEAD: the headers of the GET, without its body (RFC 9110 §9.3.2).
  response.end(request.method === 'HEAD' ? undefined : json);
}

function sendError(request: IncomingMessage, response: ServerResponse, error: SandboxError): void {
  send(request, response, error.status, error.body(), error.extra.headers);
}

/** Reads a JSON body of at most `limit` bytes; `undefined` when there is none. */
function readBody(request: IncomingMessage, limit: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    request.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) {
        failed = true;
        reject(new SandboxError(413, `The request body is over ${limit} bytes.`, { code: 'bad_request' }));
        request.resume();
        return;
      }
      chunks.push(chunk);
    });
    request.on('error', (error) => reject(error));
    request.on('end', () => {
      if (failed) return;
      const text = Buffer.concat(chunks).toString('utf8');
      if (!text.length) return resolve(undefined);
      const type = String(request.headers['content-type'] ?? '');
      if (!/^application\/([a-z.+-]*\+)?json\b/i.test(type)) {
        return reject(badRequest(`The request body must be JSON, not ${JSON.stringify(type || 'without a Content-Type')}.`, 'Send Content-Type: application/json.'));
      }
      try {
        resolve(JSON.parse(text));
      } catch (error) {
        reject(badRequest(`The request body is not valid JSON: ${(error as Error).message}.`));
      }
    });
  });
}

/** The bearer key of a request, or a 401 in the API's error body. */
function apiKeyOf(request: IncomingMessage): string {
  const header = request.headers.authorization ?? '';
  // Secret keys start metorial_sk_ (bearerFormat; facts: Auth): another token is a malformed key, as on the API.
  const match = /^Bearer (metorial_sk_[^\s]+)$/.exec(header);
  if (!match?.[1]) {
    throw new SandboxError(401, header ? 'The Authorization header is malformed: send a secret key, Bearer metorial_sk_...' : 'No API key was sent.', {
      hint: 'Send Authorization: Bearer metorial_sk_... (any key works in the sandbox; each key gets its own data).',
    });
  }
  return match[1];
}

/** The route template for find-my-way: `{id}` becomes `:id`. */
function routerPath(path: string): string {
  return path.replace(/\{([^}]+)\}/g, ':$1').replace(/::/g, '::');
}

const knownMethods = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/**
 * The sandbox as an HTTP server (node:http, find-my-way's router, qs for query strings as the API
 * parses them). It answers the spec's operations from the Engine, `HEAD` as `GET` without a body,
 * `OPTIONS` (CORS preflights included) with the path's methods, another method on a known path
 * with 405 and `Allow`, and the control routes under `/_sandbox`.
 */
export function createSandboxServer(options: SandboxServerOptions): SandboxServer {
  const model = readModel(options.document);
  const seed = generateSeed(model, options);
  const engine = new Engine(model, seed, options);
  const faults = new Faults(options.faults ?? {});
  const maxBodyBytes = options.maxBodyBytes ?? 1_000_000;
  const router = FindMyWay({ ignoreTrailingSlash: false, maxParamLength: 1_000, caseSensitive: true });
  const noop = () => undefined;
  for (const route of model.routes) router.on(route.method as 'GET', routerPath(route.path), noop, route);
  const paths = [...new Set(model.routes.map((r) => r.path))];

  const methodsAt = (path: string): string[] => {
    const methods = new Set<string>();
    for (const method of knownMethods) {
      try {
        if (router.find(method, path)) methods.add(method);
      } catch {
        // a path the router cannot decode has no methods
      }
    }
    if (methods.has('GET')) methods.add('HEAD');
    if (methods.size) methods.add('OPTIONS');
    return knownMethods.filter((m) => methods.has(m));
  };

  const control = async (request: IncomingMessage, response: ServerResponse, path: string): Promise<void> => {
    if (path === `${controlPrefix}/health` && (request.method === 'GET' || request.method === 'HEAD')) {
      return send(request, response, 200, { status: 'ok', resources: [...model.resources.keys()], keys: engine.sandboxes.size });
    }
    if (path === `${controlPrefix}/reset` && request.method === 'POST') {
      engine.sandboxes.reset(apiKeyOf(request));
      engine.onWrite?.(engine.sandboxes.for(apiKeyOf(request)));
      return send(request, response, 200, { status: 'reset' });
    }
    throw new SandboxError(404, `No control route ${request.method} ${path}.`, { hint: `The control routes are GET ${controlPrefix}/health and POST ${controlPrefix}/reset.` });
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = request.url ?? '/';
    const queryAt = url.indexOf('?');
    const path = queryAt === -1 ? url : url.slice(0, queryAt);
    const method = (request.method ?? 'GET').toUpperCase();
    if (method === 'OPTIONS') {
      const allow = path.startsWith(controlPrefix) ? ['GET', 'POST', 'OPTIONS'] : methodsAt(path);
      setCors(request, response);
      response.setHeader('Allow', allow.join(', '));
      if (request.headers['access-control-request-method']) {
        response.setHeader('Access-Control-Allow-Methods', allow.join(', ') || knownMethods.join(', '));
        response.setHeader('Access-Control-Allow-Headers', String(request.headers['access-control-request-headers'] ?? allowedHeaders));
        response.setHeader('Access-Control-Max-Age', '600');
      }
      response.writeHead(204).end();
      return;
    }
    if (path.startsWith(`${controlPrefix}/`)) return control(request, response, path);
    await faults.apply(request);
    let found: ReturnType<typeof router.find> = null;
    try {
      found = router.find(method === 'HEAD' ? 'GET' : (method as 'GET'), path);
    } catch {
      throw badRequest(`The path ${JSON.stringify(path)} is not valid percent-encoded UTF-8.`);
    }
    if (!found) {
      const allow = methodsAt(path);
      if (allow.length) throw new SandboxError(405, `${method} is not allowed on ${path}.`, { code: 'bad_request', headers: { Allow: allow.join(', ') }, hint: `Allowed: ${allow.join(', ')}.` });
      throw new SandboxError(404, `No operation at ${path}.`, { hint: `The API's paths are ${paths.join(', ')}.` });
    }
    const route = found.store as RouteModel;
    const apiKey = apiKeyOf(request);
    const query = queryAt === -1 ? {} : qs.parse(url.slice(queryAt + 1), { depth: 1, arrayLimit: 100, parameterLimit: 1_000 });
    const body = route.bodySchema || ['POST', 'PUT', 'PATCH'].includes(method) ? await readBody(request, maxBodyBytes) : undefined;
    const pathValues: Record<string, string> = {};
    for (const [name, value] of Object.entries(found.params)) if (value !== undefined) pathValues[name] = value;
    const answer = engine.handle({ route, apiKey, pathValues, query: query as Record<string, unknown>, body });
    send(request, response, answer.status, answer.body, {}, answer.text);
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (response.headersSent) return response.destroy();
      if (error instanceof SandboxError) return sendError(request, response, error);
      // A bug of ours: the API's 500 body, and the cause on our stderr (never the request's headers).
      console.error(`sandbox: ${request.method} ${request.url?.split('?')[0]} failed:`, error);
      sendError(request, response, new SandboxError(500, 'The sandbox failed on this request; this is a bug of the sandbox.'));
    });
  });
  server.keepAliveTimeout = 65_000;

  return {
    server,
    engine,
    listen: (port = 0) =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, '127.0.0.1', () => {
          server.off('error', reject);
          resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
        });
      }),
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
