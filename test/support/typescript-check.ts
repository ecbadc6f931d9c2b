import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { repoRoot } from '../../scripts/lib/paths.ts';

/**
 * Type-checks snippets of TypeScript as if they were files at the repository root, with the
 * project's tsconfig; an import of the client package by name is an import of its source. Returns one readable line per diagnostic; empty when everything compiles.
 */
export function typeCheckSnippets(snippets: Array<{ name: string; code: string }>): string[] {
  const configFile = ts.readConfigFile(join(repoRoot, 'tsconfig.json'), (path) => ts.sys.readFile(path));
  const { options } = ts.parseJsonConfigFileContent(configFile.config, ts.sys, repoRoot);
  // A folder at the root, so `./src/index.ts` in a snippet means what it means in the README.
  const scratch = mkdtempSync(join(repoRoot, '.snippets-'));
  try {
    const files = snippets.map(({ name, code }) => {
      const file = join(scratch, `${name}.ts`);
      // The package's name means what it means once installed: its entry points in src/.
      const inRepository = code
        .replaceAll("from 'metorial-api-client/validation'", "from '../src/validation.ts'")
        .replaceAll("from 'metorial-api-client'", "from '../src/index.ts'")
        .replaceAll("from './", "from '../");
      writeFileSync(file, inRepository);
      return file;
    });
    const program = ts.createProgram(files, { ...options, noEmit: true });
    return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
      const text = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
      if (!diagnostic.file || diagnostic.start === undefined) return text;
      const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
      const name = diagnostic.file.fileName.replace(`${scratch}/`, '');
      return `${name}:${line + 1}: ${text}`;
    });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
