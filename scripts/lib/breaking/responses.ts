import { withinComponent } from './change.ts';
import { diffContent, diffOptionalSchema } from './content.ts';
import { type Header, type OperationScope, type Response, reportAt, responseDirection } from './openapi.ts';

/* Responses (OpenAPI 3.1 §4.8.16-17): statuses, headers and bodies. */

/** 200, 204, 2XX: the outcomes a caller codes for. Error statuses and `default` may come and go. */
const isSuccess = (status: string) => /^2(\d\d|XX)$/i.test(status);

function byLowerName(headers: Record<string, Header> = {}): Map<string, [string, Header]> {
  return new Map(Object.entries(headers).map(([name, header]) => [name.toLowerCase(), [name, header]]));
}

function diffHeaders(outer: OperationScope, status: string, base: Response, head: Response): void {
  const direction = responseDirection(outer);
  const receives = direction === 'response';
  const before = byLowerName(base.headers);
  const after = byLowerName(head.headers);
  for (const [key, [name, header]] of before) {
    const location = `response ${status} header ${name}`;
    const next = after.get(key)?.[1];
    if (!next) {
      reportAt(outer, receives ? 'breaking' : 'non-breaking', 'response-header-removed', location, `the ${name} header is no longer sent`);
      continue;
    }
    const scope = { ...outer, report: withinComponent(outer.report, header, next, location) };
    if (Boolean(header.required) !== Boolean(next.required)) {
      const breaking = receives !== Boolean(next.required);
      reportAt(scope, breaking ? 'breaking' : 'non-breaking', next.required ? 'response-header-made-required' : 'response-header-made-optional', location, `the ${name} header is now ${next.required ? 'always sent' : 'optional'}`);
    }
    if (header.content && next.content) diffContent(scope, location, direction, header.content, next.content);
    else diffOptionalSchema(scope, location, direction, header.schema, next.schema);
  }
  for (const [key, [name]] of after) {
    if (!before.has(key)) reportAt(outer, 'non-breaking', 'response-header-added', `response ${status} header ${name}`, `new ${name} header`);
  }
}

/** Every response change of one operation. */
export function diffResponses(outer: OperationScope, base: Record<string, Response>, head: Record<string, Response>): void {
  const normalize = (responses: Record<string, Response>) => new Map(Object.entries(responses).map(([status, response]) => [status.toUpperCase(), response]));
  const [before, after] = [normalize(base), normalize(head)];
  for (const [status, response] of before) {
    const next = after.get(status);
    const location = `response ${status}`;
    if (!next) {
      const breaking = isSuccess(status);
      reportAt(outer, breaking ? 'breaking' : 'non-breaking', 'response-status-removed', location, `the ${status} response is no longer documented`);
      continue;
    }
    const scope = { ...outer, report: withinComponent(outer.report, response, next, location) };
    diffHeaders(scope, status, response, next);
    diffContent(scope, `${location} body`, responseDirection(scope), response.content ?? {}, next.content ?? {});
  }
  for (const status of after.keys()) {
    if (!before.has(status)) reportAt(outer, 'non-breaking', 'response-status-added', `response ${status}`, `new ${status} response`);
  }
}
