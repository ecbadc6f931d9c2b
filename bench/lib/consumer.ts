import { cpSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../scripts/lib/paths.ts';
import { copyPrefix } from './synthetic-spec.ts';

/** The same calls through our client (its path style and its resource methods) and through bare openapi-fetch; `prefix` picks a copy of the spec (`/k2s`, copyPrefix). */
const calls = {
  oursResources: (prefix: string) => {
    // The copy `/k2s` of the spec is the resource `k2s` (DECISIONS SDK2).
    const at = prefix ? `.${prefix.slice(1)}` : '';
    return `import { createClient } from './src/index.ts';

const metorial = createClient({ apiKey: 'metorial_sk_bench', baseUrl: 'http://127.0.0.1:4010', allowInsecureHttp: true });
const runs = await metorial${at}.runs.list({ limit: 5, order: 'desc' });
for (const run of runs.items) console.log(run.id, run.status);
for await (const error of metorial${at}.sessionErrors.list({ limit: 10 })) console.log(error.id);
const provider = await metorial${at}.sessionTemplateProviders.create({ session_template_id: 'stm_1', provider_deployment_id: 'pde_1' });
console.log(provider.id);
`;
  },
  ours: (prefix: string) => `import { createClient } from './src/index.ts';

const metorial = createClient({ apiKey: 'metorial_sk_bench', baseUrl: 'http://127.0.0.1:4010', allowInsecureHttp: true });
const runs = await metorial.get('${prefix}/runs', { params: { query: { limit: 5, order: 'desc' } } });
for (const run of runs.items) console.log(run.id, run.status);
for await (const error of metorial.paginate('${prefix}/session-errors', { params: { query: { limit: 10 } } })) console.log(error.id);
const provider = await metorial.post('${prefix}/session-template-providers', { body: { session_template_id: 'stm_1', provider_deployment_id: 'pde_1' } });
console.log(provider.id);
`,
  bare: (prefix: string) => `import createClient from 'openapi-fetch';
import type { paths } from './generated/schema.d.ts';

const client = createClient<paths>({ baseUrl: 'http://127.0.0.1:4010', headers: { Authorization: 'Bearer metorial_sk_bench' } });
const { data: runs } = await client.GET('${prefix}/runs', { params: { query: { limit: 5, order: 'desc' } } });
for (const run of runs?.items ?? []) console.log(run.id, run.status);
const { data: errors } = await client.GET('${prefix}/session-errors', { params: { query: { limit: 10 } } });
for (const error of errors?.items ?? []) console.log(error.id);
const { data: provider } = await client.POST('${prefix}/session-template-providers', { body: { session_template_id: 'stm_1', provider_deployment_id: 'pde_1' } });
console.log(provider?.id);
`,
};

/**
 * A consumer project beside a scale's generated/ folder: a copy of our client's sources (which read
 * ../generated, as a consumer of the package type-checks them) and three programs making the same calls,
 * with our client's path style, with its resource methods, and with bare openapi-fetch. Returns the tsc
 * command line of each.
 */
export function writeConsumers(dir: string, scale: number): { ours: string[]; oursResources: string[]; bare: string[] } {
  cpSync(join(repoRoot, 'src'), join(dir, 'src'), { recursive: true });
  cpSync(join(repoRoot, 'package.json'), join(dir, 'package.json'));
  symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'));
  const prefix = scale > 1 ? copyPrefix(scale) : '';
  const tsc = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
  const command = (name: keyof typeof calls) => {
    writeFileSync(join(dir, `consumer-${name}.ts`), calls[name](prefix));
    // The repository's compiler options (its tsconfig is JSON with comments: extended, not parsed here).
    writeFileSync(join(dir, `tsconfig.${name}.json`), JSON.stringify({ extends: join(repoRoot, 'tsconfig.json'), include: [], files: [`consumer-${name}.ts`] }, null, 2));
    return [process.execPath, tsc, '-p', join(dir, `tsconfig.${name}.json`)];
  };
  return { ours: command('ours'), oursResources: command('oursResources'), bare: command('bare') };
}
