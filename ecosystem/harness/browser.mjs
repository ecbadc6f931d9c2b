// A page's script, bundled by esbuild, vite or webpack and run in headless Chromium: the page calls ecosystem.run(baseUrl, apiKey, only).
import * as client from 'metorial-api-client';
import { runCases } from './cases.mjs';

globalThis.ecosystem = {
  run: (baseUrl, apiKey, only) => runCases({ client, loadValidation: () => import('metorial-api-client/validation'), baseUrl, apiKey, only }),
};
