import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { installedVersion, pinnedTools, type ToolName, toolDir } from '../ecosystem/toolchain.ts';
import { runMain } from './lib/cli.ts';
import { PipelineError } from './lib/run-tool.ts';

const run = promisify(execFile);

/**
 * Installs one tool of the ecosystem matrix (ecosystem/toolchain.ts) from the npm registry into
 * .runtimes/<package>-<version>, unless that version is there already.
 */
async function setUp(name: ToolName): Promise<void> {
  const { package: packageName, version, label } = pinnedTools[name];
  const dir = toolDir(name);
  if (installedVersion(name) === version) {
    console.log(`✔ ${label} ${version} is installed: ${dir}`);
    return;
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${dir}/package.json`, `${JSON.stringify({ private: true, description: `${label} ${version} for the client package's ecosystem matrix` }, null, 2)}\n`);
  try {
    await run('npm', ['install', '--no-audit', '--no-fund', '--save-exact', `${packageName}@${version}`], { cwd: dir, maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    throw new PipelineError(`Could not install ${packageName}@${version} from the npm registry: ${(error as { stderr?: string }).stderr?.trim() || String(error)}`);
  }
  const installed = installedVersion(name);
  if (installed !== version) throw new PipelineError(`${packageName}@${version} installed, but ${dir} holds ${installed ?? 'nothing'}.`);
  console.log(`✔ ${label} ${version} installed: ${dir}`);
}

runMain(async () => {
  // Two at a time: each is an npm install of tens of megabytes, on a machine others share.
  const queue = Object.keys(pinnedTools) as ToolName[];
  const failures: unknown[] = [];
  await Promise.all(
    [0, 1].map(async () => {
      for (let name = queue.shift(); name; name = queue.shift()) await setUp(name).catch((error: unknown) => failures.push(error));
    }),
  );
  if (failures.length > 0) throw new PipelineError(failures.map((error) => (error instanceof Error ? error.message : String(error))).join('\n'));
});
