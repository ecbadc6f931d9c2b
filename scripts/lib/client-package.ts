import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'tsdown';
import clientBuildConfig from '../../client/tsdown.config.ts';
import { copyClientPackageFiles } from './client-package-files.ts';
import { clientDir } from './paths.ts';

/**
 * Builds the client package (ESM, CommonJS and their declarations, by client/tsdown.config.ts) into
 * `<packageDir>/dist`, replacing what was there. Reads src/ and generated/, so run it after
 * generated/ is written.
 */
export async function buildClientPackage(packageDir = clientDir): Promise<void> {
  await build({ ...clientBuildConfig, config: false, outDir: join(packageDir, 'dist') });
}

/**
 * A copy of the client package in `stageDir`, built from the current sources, to pack or inspect
 * without touching client/: what `npm publish` in client/ would see after `npm run build`.
 */
export async function stageClientPackage(stageDir: string): Promise<string> {
  copyClientPackageFiles(stageDir);
  await buildClientPackage(stageDir);
  return stageDir;
}

/** `npm pack` of a built package folder into `destination`; resolves with the tarball's path. */
export async function packClientPackage(packageDir: string, destination: string): Promise<string> {
  mkdirSync(destination, { recursive: true });
  const { stdout } = await promisify(execFile)('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', destination], { cwd: packageDir });
  const [packed] = JSON.parse(stdout) as Array<{ filename: string }>;
  if (!packed) throw new Error(`npm pack in ${packageDir} reported no tarball.`);
  return join(destination, packed.filename);
}
