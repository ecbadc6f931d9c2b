/**
 * The server of `npm run bench:client`, run in a process of its own so that its work does not share
 * a thread with the contender measured: a keep-alive HTTP server on 127.0.0.1 that answers every
 * request 200 with the spec's example list of server runs. Prints `{"port":N}` once listening, and
 * exits when its parent closes its stdin.
 *
 *   node --import tsx bench/lib/loopback-server.ts
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { benchBody } from './bench-body.ts';

const body = Buffer.from(benchBody);
const headers = { 'content-type': 'application/json', 'content-length': String(body.byteLength), 'metorial-req-id': 'req_bench' };

const server = createServer((request, response) => {
  // Read the request to its end before answering, as a real server does.
  request.resume();
  request.on('end', () => response.writeHead(200, headers).end(body));
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
});
process.stdin.resume();
process.stdin.on('end', () => {
  server.closeAllConnections();
  server.close();
  process.exit(0);
});
