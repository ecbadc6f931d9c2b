// Node (CommonJS): `node main.cjs <baseUrl> <apiKey>`. The package is required; the cases are plain ES modules.
const client = require('metorial-api-client');

const [baseUrl, apiKey, only] = process.argv.slice(2);
import('./cases.mjs')
  .then(({ runCases }) => runCases({ client, loadValidation: async () => require('metorial-api-client/validation'), baseUrl, apiKey, only: only?.split(',') }))
  .then((report) => console.log(JSON.stringify(report)));
