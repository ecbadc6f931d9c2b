// Deno with npm: specifiers, resolved from the project's node_modules (`--node-modules-dir=manual`).
import * as client from 'npm:metorial-api-client';
import { runCases } from './cases.mjs';

const [baseUrl, apiKey, only] = Deno.args;
const report = await runCases({ client, loadValidation: () => import('npm:metorial-api-client/validation'), baseUrl, apiKey, only: only?.split(',') });
console.log(JSON.stringify(report));
