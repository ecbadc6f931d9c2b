// A Vercel edge function (service-worker syntax), bundled and run by edge-runtime: GET /?base=&key=&only= runs the cases.
import * as client from 'metorial-api-client';
import { runCases } from './cases.mjs';

addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  const only = url.searchParams.get('only');
  event.respondWith(
    runCases({
      client,
      loadValidation: () => import('metorial-api-client/validation'),
      baseUrl: url.searchParams.get('base'),
      apiKey: url.searchParams.get('key'),
      only: only ? only.split(',') : undefined,
    }).then((report) => Response.json(report)),
  );
});
