// The one set of cases the ecosystem matrix runs on every runtime (README.md in this folder). Plain
// JavaScript that every runtime loads as it is, given the package's exports however that runtime
// loaded them (import, require, npm: specifier, import map, a bundler), so that every runtime runs
// the very same calls. Each case resolves or throws an Error saying what it saw.

/** The cases, in the order they run. `list` alone is the smoke check of the mutation runs. */
export const caseNames = ['list', 'paginate', 'writes', 'not-found', 'timeout', 'abort', 'validation'];

/** What runs the cases: a name and version the matrix checks, so a report cannot come from another runtime. */
export function describeRuntime() {
  const g = globalThis;
  if (g.Deno?.version?.deno) return `Deno ${g.Deno.version.deno}`;
  if (g.Bun?.version) return `Bun ${g.Bun.version}`;
  if (typeof g.EdgeRuntime === 'string') return `edge-runtime (${g.EdgeRuntime})`;
  if (g.navigator?.userAgent === 'Cloudflare-Workers') return 'Cloudflare-Workers';
  if (g.process?.versions?.node) return `Node ${g.process.versions.node}`;
  return g.navigator?.userAgent ?? 'unknown';
}

function check(condition, message) {
  if (!condition) throw new Error(message);
}

/** Resolves with the error a call rejects with; throws when it resolves. */
async function rejection(promise, what) {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error(`${what} resolved; it should have rejected`);
}

const describeError = (error) => `${error?.name ?? typeof error}: ${error?.message ?? String(error)}`;
/** A request the sandbox answers only after `ms` (its X-Sandbox-Latency-Ms header). */
const slow = (ms) => ({ 'X-Sandbox-Latency-Ms': String(ms) });

const cases = {
  async list({ metorial }) {
    const page = await metorial.get('/runs', { params: { query: { limit: 3 } } });
    check(Array.isArray(page.items) && page.items.length === 3, `asked for 3 runs, got ${page.items?.length}`);
    check(page.items.every((run) => typeof run.id === 'string' && run.id.startsWith('run_')), 'a run without a run_ id');
    check(page.pagination?.has_more_after === true, 'the first page of 3 runs says there is nothing after it');
  },

  async paginate({ client, options }) {
    let requests = 0;
    const counting = client.createClient({ ...options, fetch: (request, init) => (requests++, fetch(request, init)) });
    const runs = await counting.paginate('/runs', { params: { query: { limit: 10 } } }).collect({ max: 25 });
    check(runs.length === 25, `collect({ max: 25 }) gave ${runs.length} runs`);
    check(new Set(runs.map((run) => run.id)).size === 25, 'a run came twice across pages');
    // Three pages at least; a retried request (a keep-alive socket closed under it) may add one.
    check(requests >= 3, `25 runs at 10 a page took ${requests} requests: fewer than 3 pages`);
  },

  async writes({ metorial, client }) {
    const [existing] = (await metorial.get('/session-template-providers', { params: { query: { limit: 1 } } })).items;
    check(existing, 'the sandbox listed no session template provider');
    const created = await metorial.post('/session-template-providers', {
      body: { session_template_id: existing.session_template_id, tool_filters: { tool_keys: ['read_file'] } },
    });
    check(created.id !== existing.id && created.session_template_id === existing.session_template_id, 'the created provider is not the one asked for');
    const path = { session_template_provider_id: created.id };
    const updated = await metorial.patch('/session-template-providers/{session_template_provider_id}', {
      params: { path },
      body: { tool_filters: { tool_keys: ['search_files'] } },
    });
    // The request's tool_filters shorthand comes back as the object's typed tool_filter.
    const keys = updated.tool_filter?.filters?.flatMap((filter) => filter.keys ?? []);
    check(JSON.stringify(keys) === '["search_files"]', `the update left the tool keys ${JSON.stringify(keys)}`);
    await metorial.delete('/session-template-providers/{session_template_provider_id}', { params: { path } });
    const after = await metorial.get('/session-template-providers/{session_template_provider_id}', { params: { path } }).catch((error) => error);
    check(after instanceof client.NotFoundError || after?.status === 'deleted', `after the delete, reading it gave ${after?.status ?? describeError(after)}`);
  },

  async 'not-found'({ metorial, client }) {
    const error = await rejection(metorial.get('/runs/{run_id}', { params: { path: { run_id: 'run_missing' } } }), 'getting a missing run');
    check(error instanceof client.NotFoundError, `expected a NotFoundError, got ${describeError(error)}`);
    check(error instanceof client.MetorialError, 'the NotFoundError is not a MetorialError');
    check(error.status === 404 && typeof error.code === 'string' && typeof error.requestId === 'string', `status ${error.status}, code ${error.code}, request id ${error.requestId}`);
  },

  async timeout({ metorial, client }) {
    const error = await rejection(metorial.get('/runs', { timeout: 200, maxRetries: 0, headers: slow(5_000) }), 'a call slower than its timeout');
    check(error instanceof client.TimeoutError, `expected a TimeoutError, got ${describeError(error)}`);
  },

  async abort({ metorial, client }) {
    const controller = new AbortController();
    const call = metorial.get('/runs', { signal: controller.signal, maxRetries: 0, headers: slow(5_000) });
    setTimeout(() => controller.abort(), 100);
    const error = await rejection(call, 'an aborted call');
    check(error instanceof client.AbortedError, `expected an AbortedError, got ${describeError(error)}`);
  },

  async validation({ client, options, loadValidation }) {
    const { responseValidation } = await loadValidation();
    const validated = client.createClient({ ...options, validateResponses: responseValidation() });
    const page = await validated.get('/runs', { params: { query: { limit: 2 } } });
    check(page.items.length === 2, 'a valid answer did not pass validation');
    // The same answer with one field broken: the validator must catch it.
    const breaking = async (request, init) => {
      const answer = await fetch(request, init);
      const body = await answer.json();
      body.status = 42;
      return new Response(JSON.stringify(body), { status: answer.status, headers: { 'content-type': 'application/json' } });
    };
    const tampered = client.createClient({ ...options, validateResponses: responseValidation(), fetch: breaking });
    const error = await rejection(tampered.get('/runs/{run_id}', { params: { path: { run_id: page.items[0].id } } }), 'an answer whose status is a number');
    check(error instanceof client.ResponseValidationError, `expected a ResponseValidationError, got ${describeError(error)}`);
  },
};

/**
 * Runs the cases against `baseUrl` (the sandbox, behind Prism's validating proxy) with `apiKey` (the
 * sandbox keeps each key's data apart). `client` is the package's main exports; `loadValidation`
 * loads its `/validation` entry point, when the case asks for it (runtimes that cannot load it fail
 * that case only). Passes apiKey and baseUrl, so the client never needs the environment.
 * Resolves with `{ runtime, cases: { name: { ok: true } | { ok: false, error } } }`; never rejects.
 */
export async function runCases({ client, loadValidation, baseUrl, apiKey, only = caseNames }) {
  const report = { runtime: describeRuntime(), cases: {} };
  let options;
  let metorial;
  try {
    options = { apiKey, baseUrl, maxRetries: 1 };
    metorial = client.createClient(options);
  } catch (error) {
    for (const name of only) report.cases[name] = { ok: false, error: `createClient threw ${describeError(error)}` };
    return report;
  }
  for (const name of only) {
    try {
      await cases[name]({ client, options, metorial, loadValidation });
      report.cases[name] = { ok: true };
    } catch (error) {
      report.cases[name] = { ok: false, error: describeError(error) };
    }
  }
  return report;
}
