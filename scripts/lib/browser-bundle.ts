import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

export interface BrowserBundle {
  /** The bundle's JavaScript: one file, an IIFE that sets `globalThis[globalName]` to the entry's exports. */
  code: string;
  /** Its size minified, in bytes. */
  minifiedBytes: number;
  /** Its size minified and gzipped at level 9 (`gzip -9`), in bytes. */
  gzippedBytes: number;
}

/**
 * One entry bundled as a browser app ships it: every import inlined into a single minified file
 * (no code splitting, so a dynamic import would be inlined too), for current browsers. Imports
 * resolve from the entry's folder up, then from `nodePaths`.
 */
export async function bundleForBrowser(entry: string, options: { globalName: string; nodePaths?: string[] }): Promise<BrowserBundle> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    splitting: false,
    format: 'iife',
    globalName: options.globalName,
    platform: 'browser',
    target: 'es2022',
    minify: true,
    write: false,
    logLevel: 'silent',
    nodePaths: options.nodePaths ?? [],
  });
  const code = result.outputFiles[0]!.text;
  return { code, minifiedBytes: Buffer.byteLength(code), gzippedBytes: gzipSync(code, { level: 9 }).length };
}
