import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../scripts/lib/paths.ts';
import { createClient, MetorialConfigurationError, MetorialError, ResponseValidationError } from '../../src/index.ts';
import { responseValidation } from '../../src/validation.ts';
import { apiError, everythingShown, FaultServer, json } from '../support/fault-server.ts';

const key = 'metorial_sk_s3cretValidationKey';
const serverRun = (parse(readFileSync(join(repoRoot, 'spec/components/examples/ServerRun.yaml'), 'utf8')) as { value: Record<string, unknown> }).value;

let server: FaultServer;
beforeAll(async () => {
  server = await FaultServer.start();
});
afterAll(() => server.stop());

describe('optional response validation', () => {
  const getServerRun = (validateResponses: boolean) =>
    createClient({ apiKey: key, baseUrl: server.url, validateResponses: validateResponses && responseValidation() }).get('/server-runs/{server_run_id}', {
      params: { path: { server_run_id: 'example_id' } },
    });

  it('passes a body that keeps the contract', async () => {
    server.plan([], json(200, serverRun));
    await expect(getServerRun(true)).resolves.toEqual(serverRun);
  });

  it('refuses to start, saying why and where it works, in a runtime that forbids compiling code (workerd, edge runtimes)', () => {
    vi.stubGlobal('Function', function refused() {
      throw new EvalError('Code generation from strings disallowed for this context');
    });
    try {
      expect(() => responseValidation()).toThrow(MetorialConfigurationError);
      expect(() => responseValidation()).toThrow(/may compile code at run time .*leave validateResponses out/);
    } finally {
      vi.unstubAllGlobals();
    }
    expect(responseValidation().kind).toBe('metorial-response-validation');
  });

  it('is off by default: a drifting body is returned as is', async () => {
    server.plan([], json(200, { ...serverRun, status: 42 }));
    await expect(getServerRun(false)).resolves.toMatchObject({ status: 42 });
  });

  it('names the operation and every failing path of a drifting body', async () => {
    const { server_version_id: _dropped, ...missingField } = serverRun;
    server.plan([], json(200, { ...missingField, status: 'paused', surprise: true, server: { ...(serverRun.server as object), created_at: 'yesterday' } }));
    const error = (await getServerRun(true).catch((e: unknown) => e)) as ResponseValidationError;
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect(error.message).toMatch(/^getServerRun \(GET \/server-runs\/\{server_run_id\}\) answered 200 with a body that breaks the contract/);
    const problems = error.problems.join('\n');
    expect(problems).toMatch(/\(root\) must have required property 'server_version_id'/);
    expect(problems).toMatch(/\/status must be equal to one of the allowed values/);
    expect(problems).toMatch(/\/server\/created_at must match format "date-time"/);
    expect(problems).not.toMatch(/surprise/); // An added field is not a break (DECISIONS D6).
  });

  it('accepts a field the spec does not document, at the top and nested, and returns it', async () => {
    const withAddedFields = { ...serverRun, region: 'eu-west-1', server: { ...(serverRun.server as object), icon_url: 'https://example.com/i.png' } };
    server.plan([], json(200, withAddedFields));
    await expect(getServerRun(true)).resolves.toEqual(withAddedFields);
  });

  it('still rejects a documented field of the wrong type, beside an added one', async () => {
    server.plan([], json(200, { ...serverRun, region: 'eu-west-1', created_at: 1_742_000_000 }));
    const error = (await getServerRun(true).catch((e: unknown) => e)) as ResponseValidationError;
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect(error.problems).toEqual([expect.stringMatching(/^\/created_at must be string/)]);
  });

  it('reports a status the spec does not document', async () => {
    server.plan([], json(418, { object: 'error', status: 418, code: 'teapot', message: 'I am a teapot' }));
    await expect(getServerRun(true)).rejects.toThrow(/getServerRun .* answered 418, a status the spec does not document/);
  });

  it('checks error bodies too', async () => {
    server.plan([], json(404, { object: 'error', status: 404, message: 'no code' }));
    const error = (await getServerRun(true).catch((e: unknown) => e)) as ResponseValidationError;
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect(error.problems.join('\n')).toMatch(/must have required property 'code'/);
  });

  it.each([
    ['true', true],
    ['a string', 'yes'],
    ['another object', { onResponse: () => undefined }],
  ])('is refused when given %s instead of responseValidation(), naming the entry point to import', (_what, value) => {
    const attempt = () => createClient({ apiKey: key, baseUrl: server.url, validateResponses: value as never });
    expect(attempt).toThrow(MetorialConfigurationError);
    expect(attempt).toThrow("import { responseValidation } from 'metorial-api-client/validation'");
  });
});

describe('the API key stays secret', () => {
  const leaks = (value: unknown) => everythingShown(value).includes('s3cretValidationKey');

  it.each([
    ['an API error', apiError(401, 'unauthorized')],
    ['a connection reset', { kind: 'reset' } as const],
    ['a timeout', { kind: 'stall', ms: 1_000 } as const],
    ['a contract break', json(200, { nope: true })],
  ])('is in no error message, JSON, stack or inspection of %s, nor in a log line', async (_what, fault) => {
    server.plan([], fault);
    const lines: string[] = [];
    const client = createClient({ apiKey: key, baseUrl: server.url, validateResponses: responseValidation(), timeout: 100, maxRetries: 1, retryDelays: { initialMs: 1, maxMs: 5 }, logger: (line) => lines.push(line) });
    const error = await client.get('/server-runs').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MetorialError);
    expect(leaks(error)).toBe(false);
    expect(lines.join('\n')).not.toContain('s3cretValidationKey');
  });

  it('is not shown when the client object is logged', () => {
    const client = createClient({ apiKey: key, baseUrl: server.url });
    expect(inspect(client, { depth: 10, showHidden: true })).not.toContain('s3cretValidationKey');
    expect(JSON.stringify(client) ?? '').not.toContain('s3cretValidationKey');
  });

  it.each([
    ['missing', undefined, /No API key: pass createClient\(\{ apiKey \}\) or set the METORIAL_API_KEY/],
    ['empty', '', /No API key/],
    ['with a newline', 'metorial_sk_abc123\n', /contains white space/],
    ['with the Bearer prefix', 'Bearer metorial_sk_abc123', /starts with "Bearer "/],
    ['of another service', 'sk_live_abc123', /does not start with metorial_/],
  ])('is refused before any request when %s, without repeating it', (_what, apiKey, message) => {
    const previous = process.env.METORIAL_API_KEY;
    delete process.env.METORIAL_API_KEY;
    try {
      const attempt = () => createClient({ apiKey, baseUrl: server.url });
      expect(attempt).toThrow(MetorialConfigurationError);
      expect(attempt).toThrow(message);
      if (apiKey) expect(() => attempt()).not.toThrow(apiKey.trim());
    } finally {
      if (previous !== undefined) process.env.METORIAL_API_KEY = previous;
    }
  });

  it('is read from METORIAL_API_KEY when not passed', async () => {
    server.plan([]);
    process.env.METORIAL_API_KEY = 'metorial_sk_fromEnvironment';
    try {
      await createClient({ baseUrl: server.url }).get('/server-runs');
      expect(server.requests[0]?.headers.authorization).toBe('Bearer metorial_sk_fromEnvironment');
    } finally {
      delete process.env.METORIAL_API_KEY;
    }
  });

  it('goes to METORIAL_BASE_URL when no baseUrl is passed, and a bad value names the variable', async () => {
    server.plan([]);
    process.env.METORIAL_BASE_URL = server.url;
    try {
      await createClient({ apiKey: key }).get('/server-runs');
      expect(server.requests).toHaveLength(1);
      expect(() => createClient({ apiKey: key, baseUrl: 'api.metorial.com' })).toThrow(/^baseUrl "api.metorial.com" is not a URL/);
      process.env.METORIAL_BASE_URL = 'http://api.example.com';
      expect(() => createClient({ apiKey: key })).toThrow(/Refusing to send the API key over plain http to api.example.com/);
      process.env.METORIAL_BASE_URL = 'api.metorial.com';
      expect(() => createClient({ apiKey: key })).toThrow(/^METORIAL_BASE_URL "api.metorial.com" is not a URL/);
    } finally {
      delete process.env.METORIAL_BASE_URL;
    }
  });

  it('leaves the environment alone when apiKey and baseUrl are passed, and names the option when the runtime refuses a read', () => {
    // As Deno's process.env behaves without --allow-env: every read throws NotCapable.
    const real = process.env;
    const reads: string[] = [];
    process.env = new Proxy({} as NodeJS.ProcessEnv, {
      get(_target, name) {
        reads.push(String(name));
        throw new Error(`NotCapable: Requires env access to "${String(name)}", run again with the --allow-env flag`);
      },
    });
    try {
      expect(() => createClient({ apiKey: key, baseUrl: server.url })).not.toThrow();
      expect(reads).toEqual([]);
      expect(() => createClient({ apiKey: key })).toThrow(MetorialConfigurationError);
      expect(() => createClient({ apiKey: key })).toThrow(/refused to read the environment variable METORIAL_BASE_URL: pass createClient\(\{ baseUrl \}\)/);
      expect(() => createClient({ baseUrl: server.url })).toThrow(/METORIAL_API_KEY: pass createClient\(\{ apiKey \}\)/);
    } finally {
      process.env = real;
    }
  });

  it('is not sent over plain http to another machine unless the caller opts in', () => {
    expect(() => createClient({ apiKey: key, baseUrl: 'http://api.example.com' })).toThrow(/Refusing to send the API key over plain http to api.example.com/);
    expect(() => createClient({ apiKey: key, baseUrl: 'http://api.example.com', allowInsecureHttp: true })).not.toThrow();
    for (const loopback of ['http://127.0.0.1:4010', 'http://localhost:4010', 'http://[::1]:4010']) {
      expect(() => createClient({ apiKey: key, baseUrl: loopback })).not.toThrow();
    }
    expect(() => createClient({ apiKey: key, baseUrl: 'api.metorial.com' })).toThrow(/is not a URL/);
  });
});
