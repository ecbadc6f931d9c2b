import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Writes a file so that readers see either the old content or the new, never half of it: the
 * content goes to a temporary file beside the target, which is then renamed over it.
 */
export function writeFileAtomic(path: string, content: string | Uint8Array): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true });
  const temporary = join(dir, `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  try {
    writeFileSync(temporary, content);
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

/** Whether the process that made a leftover (its pid in the name) is still running. */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Replaces the directory `target` with one that `build` fills in a staging directory beside it
 * (same filesystem, so the swap is two renames), so a build that fails or is interrupted (Ctrl-C,
 * a killed test run) leaves `target` as it was, never half-written. Leftovers of interrupted runs
 * (`.<name>.staging-<pid>-…`, `.<name>.old-<pid>-…`, whose process is gone) are removed first, and
 * an old copy left between the two renames is put back. Resolves when `target` holds the new build.
 */
export async function replaceDirectoryAtomic(target: string, build: (stagingDir: string) => Promise<void>): Promise<void> {
  const parent = dirname(target);
  const name = basename(target);
  mkdirSync(parent, { recursive: true });
  for (const entry of readdirSync(parent)) {
    const leftover = new RegExp(`^\\.${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.(staging|old)-(\\d+)-\\d+$`).exec(entry);
    if (!leftover || processAlive(Number(leftover[2]))) continue;
    if (leftover[1] === 'old' && !existsSync(target)) renameSync(join(parent, entry), target);
    else rmSync(join(parent, entry), { recursive: true, force: true });
  }
  const stamp = `${process.pid}-${Date.now()}`;
  const staging = join(parent, `.${name}.staging-${stamp}`);
  mkdirSync(staging);
  try {
    await build(staging);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  const old = join(parent, `.${name}.old-${stamp}`);
  const hadTarget = existsSync(target);
  if (hadTarget) renameSync(target, old);
  try {
    renameSync(staging, target);
  } catch (error) {
    if (hadTarget) renameSync(old, target);
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  rmSync(old, { recursive: true, force: true });
}
