// Node (ES module), Bun, and Deno with a plain import map: `<runtime> main.mjs <baseUrl> <apiKey>`.
import * as client from 'metorial-api-client';
import { runCases } from './cases.mjs';

const [baseUrl, apiKey, only] = globalThis.Deno ? globalThis.Deno.args : process.argv.slice(2);
const report = await runCases({ client, loadValidation: () => import('metorial-api-client/validation'), baseUrl, apiKey, only: only?.split(',') });
console.log(JSON.stringify(report));
