import type { RequestValues } from '../spec-requests.ts';
import type { CheckClient, Exchange } from './client.ts';
import type { CheckName, CheckRun, Finding } from './findings.ts';
import type { ApiModel, ListModel } from './model.ts';

/** What every check is given: the spec's model, a client per key, and where to record what it finds. */
export interface CheckContext {
  model: ApiModel;
  /** The first key's client. */
  client: CheckClient;
  /** The second key's client (tenancy), when a second key was given. */
  second: CheckClient | undefined;
  /** Whether write checks may run (the sandbox, or a confirmed live run). */
  writes: boolean;
  /** Pages a walk fetches at most (at the list's maximum limit), so a huge live list stays a bounded read. */
  maxPages: number;
  recorder: Recorder;
}

/** One check on one operation as it runs: its own request count, its findings, its notes. */
export class RunningCheck {
  readonly run: CheckRun;

  constructor(
    run: CheckRun,
    private readonly findings: Finding[],
    readonly client: CheckClient,
  ) {
    this.run = run;
  }

  /** Records a finding, named by this check and operation. */
  find(exchange: Pick<Exchange, 'request'> | string, expected: string, actual: string): void {
    this.findings.push({ check: this.run.check, operationId: this.run.operationId, request: typeof exchange === 'string' ? exchange : exchange.request, expected, actual });
    this.run.findings++;
  }

  /** Says why the check ran on less than everything, or not at all. */
  note(text: string): void {
    this.run.note = this.run.note ? `${this.run.note}; ${text}` : text;
  }

  done(): void {
    this.run.requests += this.client.requests;
  }
}

/** Collects every check run and finding of a behaviour run, in the order they started. */
export class Recorder {
  readonly runs: CheckRun[] = [];
  readonly findings: Finding[] = [];

  /** Starts `check` on `operationId` with a client of its own (its request count is its own). */
  start(check: CheckName, operationId: string, client: CheckClient): RunningCheck {
    const run: CheckRun = { check, operationId, requests: 0, findings: 0 };
    this.runs.push(run);
    return new RunningCheck(run, this.findings, client.fresh());
  }
}

/** A list's items as walked: in order, and whether the walk reached the end (`has_more_after` false). */
export interface Walk {
  items: any[];
  complete: boolean;
  /** The answer that ended the walk early, when one was not a 200. */
  failed?: Exchange;
}

/** Path values for a list: its parent's id for a nested list. */
export type ListTarget = { list: ListModel; path: RequestValues['path'] };
