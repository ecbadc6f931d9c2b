import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { runMain } from './lib/cli.ts';
import { nodeBinary, nodeVersionsDir, testedNodeVersions } from './lib/node-versions.ts';
import { PipelineError } from './lib/run-tool.ts';

const run = promisify(execFile);

async function installedVersion(binary: string): Promise<string | undefined> {
  if (!existsSync(binary)) return undefined;
  const { stdout } = await run(binary, ['--version']).catch(() => ({ stdout: '' }));
  return stdout.trim() || undefined;
}

/**
 * Installs each Node version the client package is tested on, as the registry's `node` package,
 * into .node-versions/<version>. Does nothing for a version already there.
 */
async function setUp(version: string): Promise<void> {
  const binary = nodeBinary(version);
  if ((await installedVersion(binary)) === `v${version}`) {
    console.log(`✔ Node ${version} is installed: ${binary}`);
    return;
  }
  const dir = join(nodeVersionsDir, version);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ private: true, description: `Node ${version} for the client package's tests` }, null, 2)}\n`);
  try {
    await run('npm', ['install', '--no-audit', '--no-fund', '--save-exact', `node@${version}`], { cwd: dir });
  } catch (error) {
    throw new PipelineError(`Could not install node@${version} from the npm registry: ${(error as { stderr?: string }).stderr?.trim() || String(error)}`);
  }
  const installed = await installedVersion(binary);
  if (installed !== `v${version}`) throw new PipelineError(`node@${version} installed, but ${binary} says ${installed ?? 'nothing'}.`);
  console.log(`✔ Node ${version} installed: ${binary}`);
}

runMain(async () => {
  await Promise.all(testedNodeVersions.map(setUp));
});
