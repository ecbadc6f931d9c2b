/**
 * A fixed-answer server for the benchmarks, run in a process of its own so that its work does not
 * share a thread with what is measured: a keep-alive HTTP server on 127.0.0.1 that answers every
 * request 200 with the same bytes, prepared once. Prints `{"port":N}` once listening, and exits when
 * its parent closes its stdin.
 *
 *   node --import tsx bench/lib/loopback-server.ts [answer.json]
 *
 * Without an argument it answers the spec's example list of server runs (`npm run bench:client`).
 * `answer.json` is `{"headers": {name: value}, "body": "..."}`: that answer instead, headers as
 * given (`npm run bench:sandbox` passes the sandbox's own, so the floor's upstream sends what the
 * sandbox sends).
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { benchBody } from './bench-body.ts';

export interface FixedAnswer {
  headers: Record<string, string>;
  body: string;
}

const answerFile = process.argv[2];
const answer: FixedAnswer = answerFile
  ? (JSON.parse(readFileSync(answerFile, 'utf8')) as FixedAnswer)
  : { headers: { 'content-type': 'application/json', 'metorial-req-id': 'req_bench' }, body: benchBody };
const body = Buffer.from(answer.body);
const headers = { ...answer.headers, 'content-length': String(body.byteLength) };

const server = createServer((request, response) => {
  // Read the request to its end before answering, as a real server does.
  request.resume();
  request.on('end', () => response.writeHead(200, headers).end(body));
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
});
process.stdin.resume();
process.stdin.on('end', () => {
  server.closeAllConnections();
  server.close();
  process.exit(0);
});
