import { createReadStream } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { repoRoot } from '../paths.ts';

/** Redoc's browser bundle, as Redocly CLI ships it (build-docs inlines the same file). */
const redocBundle = join(repoRoot, 'node_modules', '@redocly', 'cli', 'lib', 'chunks', 'redoc.standalone.js');

/** What the page is told over its event stream. */
export type PreviewEvent = { type: 'build'; id: number } | { type: 'lint-failed'; id: number; text: string };

const page = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Metorial API reference (dev preview)</title>
<style>
body { margin: 0; }
#problems { display: none; position: fixed; inset: 0 0 auto 0; max-height: 60vh; overflow: auto; z-index: 1000; margin: 0;
  padding: 1rem 1.25rem; background: #2b0b0b; color: #ffd7d7; font: 13px/1.5 ui-monospace, monospace; white-space: pre-wrap; }
#problems.shown { display: block; }
</style>
</head>
<body>
<pre id="problems" role="alert" aria-live="assertive"></pre>
<div id="reference"></div>
<script src="/redoc.standalone.js"></script>
<script>
  // The reference of the last spec that passed lint; a save reloads it (the #section stays), and a lint
  // failure is shown on top of the page until a save fixes it.
  var problems = document.getElementById('problems');
  var shown = null;
  Redoc.init('/openapi.json', { expandResponses: '200' }, document.getElementById('reference'));
  var events = new EventSource('/events');
  events.addEventListener('build', function (event) {
    var id = JSON.parse(event.data).id;
    if (window.__build === undefined) { window.__build = id; document.documentElement.dataset.build = String(id); return; }
    if (id !== window.__build) location.reload();
  });
  events.addEventListener('lint-failed', function (event) {
    var data = JSON.parse(event.data);
    problems.textContent = 'Lint failed: the reference and the mock still show the last spec that passed.\\n\\n' + data.text;
    problems.classList.add('shown');
    document.documentElement.dataset.lintFailed = String(data.id);
  });
</script>
</body>
</html>
`;

/**
 * The dev loop's reference preview on 127.0.0.1: the page (Redoc, rendering the last bundle that
 * passed lint), `/openapi.json` (that bundle), and `/events` (Server-Sent Events: `build` after each
 * rebuild, on which the page reloads, and `lint-failed` with the findings, which the page shows).
 */
export class PreviewServer {
  private bundle = '';
  private last: PreviewEvent | undefined;
  private buildEvent: PreviewEvent | undefined;
  private readonly clients = new Set<ServerResponse>();
  private constructor(private readonly server: Server, readonly url: string) {}

  static async listen(port: number): Promise<PreviewServer> {
    let self: PreviewServer | undefined;
    const server = createServer((req, res) => self!.handle(req.url ?? '/', res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    self = new PreviewServer(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return self;
  }

  private handle(url: string, res: ServerResponse): void {
    const path = url.split('?')[0];
    if (path === '/' || path === '/index.html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(page);
    } else if (path === '/openapi.json' && this.bundle) {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(this.bundle);
    } else if (path === '/redoc.standalone.js') {
      res.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'max-age=3600' });
      createReadStream(redocBundle).pipe(res);
    } else if (path === '/events') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      this.clients.add(res);
      res.on('close', () => this.clients.delete(res));
      // A page opened now learns which build it shows, and a failure it should show.
      for (const event of new Set([this.buildEvent, this.last])) if (event) this.send(res, event);
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end(this.bundle ? 'Not found' : 'The first build has not passed lint yet: see the terminal.');
    }
  }

  private send(res: ServerResponse, event: PreviewEvent): void {
    const { type, ...data } = event;
    res.write(`event: ${type}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  /** A new bundle passed lint: serve it, and tell every open page to reload. */
  publish(bundleJson: string, id: number): void {
    this.bundle = bundleJson;
    this.buildEvent = { type: 'build', id };
    this.last = this.buildEvent;
    for (const client of this.clients) this.send(client, this.buildEvent);
  }

  /** Lint failed: keep serving the last good bundle, and show the findings on every open page. */
  lintFailed(text: string, id: number): void {
    this.last = { type: 'lint-failed', id, text };
    for (const client of this.clients) this.send(client, this.last);
  }

  async close(): Promise<void> {
    for (const client of this.clients) client.end();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
