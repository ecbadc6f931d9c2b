// Bundles a page's script with vite or webpack as an app would ship it: one file, every import
// inlined (dynamic ones too), for current browsers (vite minifies; webpack does not, see below).
// `node bundle-with.mjs <vite|webpack> <install dir> <entry> <out dir>`; writes <out dir>/bundle.js.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [bundler, toolDir, entry, outDir] = process.argv.slice(2);
const project = dirname(entry);

if (bundler === 'vite') {
  const { build } = await import(pathToFileURL(join(toolDir, 'node_modules', 'vite', 'dist', 'node', 'index.js')).href);
  await build({
    root: project,
    configFile: false,
    logLevel: 'error',
    build: {
      outDir,
      emptyOutDir: true,
      target: 'es2022',
      lib: { entry, name: 'ecosystemPage', formats: ['iife'], fileName: () => 'bundle.js' },
    },
  });
} else if (bundler === 'webpack') {
  const webpack = createRequire(join(toolDir, 'package.json'))('webpack');
  const stats = await new Promise((resolve, reject) =>
    webpack(
      {
        mode: 'production',
        target: 'web',
        context: project,
        entry,
        output: { path: outDir, filename: 'bundle.js' },
        plugins: [new webpack.optimize.LimitChunkCountPlugin({ maxChunks: 1 })],
        // Resolution and bundling are what is tested; terser over ajv and the spec took most of a minute on a loaded machine.
        optimization: { minimize: false },
        performance: { hints: false },
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    ),
  );
  if (stats.hasErrors()) {
    console.error(stats.toString({ all: false, errors: true }));
    process.exit(1);
  }
} else {
  console.error(`Unknown bundler ${bundler}: vite or webpack.`);
  process.exit(2);
}
