import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './paths.ts';

/**
 * The hand-written files of client/ that a copy of the package needs beside its build.
 * validation/package.json points resolvers that predate `exports` (TypeScript's node10) to the
 * `/validation` entry.
 */
const packageFiles = ['package.json', 'README.md', join('validation', 'package.json')];

/** Copies client/'s hand-written files into `dir`, for a build to put the package's dist/ beside. */
export function copyClientPackageFiles(dir: string): void {
  mkdirSync(join(dir, 'validation'), { recursive: true });
  for (const name of packageFiles) copyFileSync(join(repoRoot, 'client', name), join(dir, name));
}
