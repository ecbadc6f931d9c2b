// A Cloudflare Worker (module syntax), bundled as wrangler does and run by workerd: GET /?base=&key=&only= runs the cases.
import * as client from 'metorial-api-client';
import { runCases } from './cases.mjs';

export default {
  async fetch(request) {
    const url = new URL(request.url);
    if (url.pathname === '/ready') return new Response('ready');
    const only = url.searchParams.get('only');
    const report = await runCases({
      client,
      loadValidation: () => import('metorial-api-client/validation'),
      baseUrl: url.searchParams.get('base'),
      apiKey: url.searchParams.get('key'),
      only: only ? only.split(',') : undefined,
    });
    return Response.json(report);
  },
};
