import { elapsed, runMain } from './lib/cli.ts';
import { buildClientPackage } from './lib/client-package.ts';

/** Builds the client package into client/dist from src/ and generated/ as they are (`npm run build` also does). */
runMain(async () => {
  const started = performance.now();
  await buildClientPackage();
  console.log(`✔ client package: client/dist (${elapsed(started)})`);
});
