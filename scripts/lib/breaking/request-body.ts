import { type Severity, withinComponent } from './change.ts';
import { diffContent } from './content.ts';
import { type OperationScope, type RequestBody, reportAt } from './openapi.ts';

/**
 * The request body (OpenAPI 3.1 §4.8.13): present, required, and its content. A caller breaks when it
 * must now send a body or can no longer send one; for a webhook, when the API may now leave it out.
 */
export function diffRequestBody(outer: OperationScope, base: RequestBody | undefined, head: RequestBody | undefined): void {
  const clientSends = outer.requestDirection === 'request';
  const scope = { ...outer, report: withinComponent(outer.report, base, head, 'request body') };
  const say = (severity: Severity, rule: string, message: string) => reportAt(scope, severity, rule, 'request body', message);
  if (!base && !head) return;
  if (!base) {
    const required = Boolean(head!.required);
    const breaking = required && clientSends;
    return say(breaking ? 'breaking' : 'non-breaking', required ? 'request-body-added-required' : 'request-body-added', `new ${required ? 'required' : 'optional'} request body`);
  }
  if (!head) return say('breaking', 'request-body-removed', 'the request body was removed');
  if (Boolean(base.required) !== Boolean(head.required)) {
    const breaking = clientSends === Boolean(head.required);
    say(breaking ? 'breaking' : 'non-breaking', head.required ? 'request-body-made-required' : 'request-body-made-optional', `the request body is now ${head.required ? 'required' : 'optional'}`);
  }
  diffContent(scope, 'request body', scope.requestDirection, base.content ?? {}, head.content ?? {});
}
