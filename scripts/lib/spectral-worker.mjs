// The entry of lintInWorker's thread (spectral-engine.ts). Plain JavaScript, since a worker thread
// does not inherit the `--import tsx` of its process on Node 20: it loads the TypeScript itself.
import { tsImport } from 'tsx/esm/api';

const { answerInWorker } = await tsImport('./spectral-engine.ts', import.meta.url);
await answerInWorker();
