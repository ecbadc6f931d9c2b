import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';

/** A key of its own for each test: each key has its own sandbox, so tests side by side never meet. */
export function freshKey(label = 'test'): string {
  return `metorial_sk_${label}_${randomUUID().replaceAll('-', '')}`;
}

export interface Answer<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

/**
 * Calls the suite's sandbox (through Prism's validating proxy unless `direct`), as JSON. Fails the
 * test loudly when Prism found the sandbox's answer breaking the spec: that is a bug of the sandbox.
 */
export async function call<T = any>(
  key: string,
  method: string,
  path: string,
  options: { body?: unknown; headers?: Record<string, string>; direct?: boolean; baseUrl?: string } = {},
): Promise<Answer<T>> {
  const base = options.baseUrl ?? (options.direct ? inject('sandboxDirectUrl') : inject('sandboxUrl'));
  const send = () => fetch(`${base}${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${key}`,
      ...(options.body === undefined ? {} : { 'Content-Type': 'application/json' }),
      ...options.headers,
    },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    signal: AbortSignal.timeout(30_000),
  });
  // A keep-alive socket the server closes just as a request leaves is not an answer: a read is sent again.
  const response = await send().catch((error: { cause?: { code?: string } }) => {
    if (method === 'GET' && error.cause?.code === 'UND_ERR_SOCKET') return send();
    throw error;
  });
  const text = await response.text();
  const violations = response.headers.get('sl-violations');
  const responseViolations = violations ? (JSON.parse(violations) as { location: string[]; severity: string; message: string }[]).filter((v) => v.location[0] === 'response' && v.severity === 'Error') : [];
  if (responseViolations.length) throw new Error(`The sandbox's answer to ${method} ${path} breaks the spec: ${JSON.stringify(responseViolations)}`);
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

/** Every item of a list, page after page with `after=<last id>`, and each page's flags. */
export async function walk(key: string, path: string, limit: number, order: 'asc' | 'desc' = 'asc'): Promise<{ ids: string[]; pages: { has_more_before: boolean; has_more_after: boolean }[] }> {
  const ids: string[] = [];
  const pages: { has_more_before: boolean; has_more_after: boolean }[] = [];
  const separator = path.includes('?') ? '&' : '?';
  let after: string | undefined;
  for (;;) {
    const page = await call(key, 'GET', `${path}${separator}limit=${limit}&order=${order}${after ? `&after=${after}` : ''}`);
    if (page.status !== 200) throw new Error(`GET ${path} answered ${page.status}: ${JSON.stringify(page.body)}`);
    ids.push(...page.body.items.map((item: { id: string }) => item.id));
    pages.push(page.body.pagination);
    if (!page.body.pagination.has_more_after) return { ids, pages };
    after = page.body.items.at(-1).id;
    if (pages.length > 1_000) throw new Error(`GET ${path} never ends`);
  }
}
