import { elapsed, runMain } from './lib/cli.ts';
import { lintSpec } from './lib/lint.ts';

runMain(async () => {
  const started = performance.now();
  await lintSpec();
  console.log(`✔ lint: spec/openapi.yaml has no errors and no warnings from Redocly (redocly.yaml) nor from the OWASP API Security ruleset (.spectral.js) (${elapsed(started)})`);
});
