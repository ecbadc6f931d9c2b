import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, tsgoBin } from '../../scripts/lib/paths.ts';

/**
 * Type-checks snippets of TypeScript as if they were files at the repository root, with the
 * project's tsconfig; an import of the client package by name is an import of its source. Runs
 * `tsgo` (TypeScript 7, the checker `npm run typecheck` uses), once for all snippets. Resolves with
 * one readable line per diagnostic, `name.ts:line: message`; empty when everything compiles.
 */
export async function typeCheckSnippets(snippets: Array<{ name: string; code: string }>): Promise<string[]> {
  // A folder at the root, so `./src/index.ts` in a snippet means what it means in the README.
  const scratch = mkdtempSync(join(repoRoot, '.snippets-'));
  try {
    const files = snippets.map(({ name, code }) => {
      // The package's name means what it means once installed: its entry points in src/.
      const inRepository = code
        .replaceAll("from 'metorial-api-client/validation'", "from '../src/validation.ts'")
        .replaceAll("from 'metorial-api-client'", "from '../src/index.ts'")
        .replaceAll("from './", "from '../");
      writeFileSync(join(scratch, `${name}.ts`), inRepository);
      return `${name}.ts`;
    });
    writeFileSync(join(scratch, 'tsconfig.json'), JSON.stringify({ extends: '../tsconfig.json', compilerOptions: { noEmit: true }, include: [], files }));
    const output = await new Promise<string>((resolve, reject) => {
      execFile(tsgoBin, ['-p', join(scratch, 'tsconfig.json'), '--pretty', 'false'], { cwd: scratch, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
        // tsgo exits 2 when it found errors: those are the answer. Anything else is a failure to run.
        if (error && typeof error.code === 'number' && error.code !== 1 && error.code !== 2) reject(new Error(`tsgo failed (${error.code}):\n${stderr}${stdout}`));
        else if (error && typeof error.code !== 'number') reject(error);
        else resolve(stdout);
      });
    });
    // `name.ts(line,column): error TS2345: message`, with any continuation lines indented below it.
    const diagnostics: string[] = [];
    for (const line of output.split('\n')) {
      const start = /^(?<file>[^(\s]+)\((?<line>\d+),\d+\): error TS\d+: (?<text>.*)$/.exec(line);
      if (start?.groups) diagnostics.push(`${start.groups.file}:${start.groups.line}: ${start.groups.text}`);
      else if (line.trim() && diagnostics.length) diagnostics[diagnostics.length - 1] += `\n${line.trim()}`;
      else if (line.trim()) diagnostics.push(line.trim());
    }
    return diagnostics;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
