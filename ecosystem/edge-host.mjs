// Runs a bundled edge function in Vercel's edge runtime (the edge-runtime package's EdgeRuntime, the
// VM `vercel dev` and Next.js use for the edge) and prints its answer to GET /?base=&key=&only=.
// `node edge-host.mjs <edge-runtime install dir> <bundle.js> <baseUrl> <apiKey> [only]`
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const [toolDir, bundle, baseUrl, apiKey, only] = process.argv.slice(2);
const { EdgeRuntime } = createRequire(join(toolDir, 'package.json'))('edge-runtime');
const runtime = new EdgeRuntime({ initialCode: readFileSync(bundle, 'utf8') });
const query = new URLSearchParams({ base: baseUrl, key: apiKey, ...(only ? { only } : {}) });
const response = await runtime.dispatchFetch(`http://edge.localhost/?${query}`);
console.log(await response.text());
await response.waitUntil();
