import type { IncomingMessage } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { badRequest, SandboxError } from './errors.ts';
import { Random } from './random.ts';

/** The error answers the sandbox makes on demand: the statuses a client's retries must handle. */
export const faultStatuses = [429, 500, 503] as const;
export type FaultStatus = (typeof faultStatuses)[number];

export interface FaultOptions {
  /** Wait this long (ms) before answering every request. */
  latencyMs?: number;
  /** Answer this error to a share of requests (`rate`, default all of them). */
  status?: FaultStatus;
  /** The share of requests that get `status`, from 0 to 1. Default 1. Chosen by a seeded draw (`seed`). */
  rate?: number;
  /** `Retry-After` (seconds) of a 429 or 503. Default 1. */
  retryAfterSeconds?: number;
  seed?: number;
}

/** `X-Sandbox-Fault: 429` or `503; retry-after=3`: one request's fault. */
export const faultHeader = 'x-sandbox-fault';
/** `X-Sandbox-Latency-Ms: 250`: one request's delay. */
export const latencyHeader = 'x-sandbox-latency-ms';

const maxLatencyMs = 120_000;

function parseLatency(value: string, source: string): number {
  if (!/^\d+$/.test(value) || Number(value) > maxLatencyMs) throw badRequest(`${source} takes whole milliseconds from 0 to ${maxLatencyMs}, not ${JSON.stringify(value)}.`);
  return Number(value);
}

/**
 * Parses a fault: a status of `faultStatuses`, optionally `; retry-after=<seconds>`.
 * @throws SandboxError 400 naming the header and what it takes.
 */
export function parseFault(value: string): { status: FaultStatus; retryAfterSeconds?: number } {
  const match = /^\s*(\d{3})\s*(?:;\s*retry-after\s*=\s*(\d+)\s*)?$/i.exec(value);
  const status = Number(match?.[1]) as FaultStatus;
  if (!match || !faultStatuses.includes(status)) {
    throw badRequest(`${faultHeader} takes ${faultStatuses.join(', ')}, optionally with "; retry-after=<seconds>", not ${JSON.stringify(value)}.`);
  }
  return match[2] === undefined ? { status } : { status, retryAfterSeconds: Number(match[2]) };
}

/** The error answer of a fault: the API's error body, with `Retry-After` and `RateLimit-*` where the API sends them. */
export function faultError(status: FaultStatus, retryAfterSeconds: number): SandboxError {
  const headers: Record<string, string> = {};
  if (status === 429 || status === 503) headers['Retry-After'] = String(retryAfterSeconds);
  if (status === 429) Object.assign(headers, { 'RateLimit-Limit': '100', 'RateLimit-Remaining': '0', 'RateLimit-Reset': String(retryAfterSeconds) });
  const message =
    status === 429
      ? `Too many requests: retry in ${retryAfterSeconds} s (a fault the sandbox was asked for).`
      : status === 503
        ? 'The service is unavailable for a moment (a fault the sandbox was asked for).'
        : 'Something went wrong on the server (a fault the sandbox was asked for).';
  return new SandboxError(status, message, { headers });
}

/** Latency and error answers, by start-up option and per request (headers win over options). */
export class Faults {
  private readonly random: Random;

  constructor(private readonly options: FaultOptions) {
    if (options.latencyMs !== undefined) parseLatency(String(options.latencyMs), 'latencyMs');
    if (options.status !== undefined && !faultStatuses.includes(options.status)) throw new Error(`The fault status must be one of ${faultStatuses.join(', ')}, not ${options.status}.`);
    if (options.rate !== undefined && !(options.rate >= 0 && options.rate <= 1)) throw new Error(`The fault rate is a share from 0 to 1, not ${options.rate}.`);
    this.random = new Random(options.seed ?? 1);
  }

  /** Waits the latency asked for, then throws the fault asked for, if any. */
  async apply(request: IncomingMessage): Promise<void> {
    const latencyValue = request.headers[latencyHeader];
    const latency = typeof latencyValue === 'string' ? parseLatency(latencyValue, latencyHeader) : (this.options.latencyMs ?? 0);
    const faultValue = request.headers[faultHeader];
    const asked = typeof faultValue === 'string' ? parseFault(faultValue) : undefined;
    if (latency > 0) await sleep(latency);
    if (asked) throw faultError(asked.status, asked.retryAfterSeconds ?? this.options.retryAfterSeconds ?? 1);
    const { status, rate = 1 } = this.options;
    if (status !== undefined && (rate >= 1 || this.random.chance(rate))) throw faultError(status, this.options.retryAfterSeconds ?? 1);
  }
}
