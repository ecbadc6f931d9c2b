import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { consumerCompilerOptions } from './consumer-project.ts';

/**
 * What an editor shows on hover at `position` in `file` of a consumer project: TypeScript's language
 * service (the one VS Code runs) asked for quick info, under the consumer's `nodenext` options, as one
 * text: the signature, the documentation, then each JSDoc tag as `@name text`.
 */
export function quickInfoAt(dir: string, file: string, position: number): string {
  const fileName = join(dir, file);
  const { options } = ts.convertCompilerOptionsFromJson({ ...consumerCompilerOptions.nodenext, noEmit: true }, dir);
  const host: ts.LanguageServiceHost = {
    getScriptFileNames: () => [fileName],
    getScriptVersion: () => '1',
    getScriptSnapshot: (name) => (ts.sys.fileExists(name) ? ts.ScriptSnapshot.fromString(readFileSync(name, 'utf8')) : undefined),
    getCurrentDirectory: () => dir,
    getCompilationSettings: () => options,
    getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
    fileExists: ts.sys.fileExists,
    readFile: ts.sys.readFile,
    readDirectory: ts.sys.readDirectory,
    directoryExists: ts.sys.directoryExists,
    getDirectories: ts.sys.getDirectories,
  };
  const service = ts.createLanguageService(host, ts.createDocumentRegistry());
  try {
    const info = service.getQuickInfoAtPosition(fileName, position);
    if (!info) return '';
    const text = (parts: ts.SymbolDisplayPart[] | undefined) => (parts ?? []).map((part) => part.text).join('');
    return [text(info.displayParts), text(info.documentation), ...(info.tags ?? []).map((tag) => `@${tag.name} ${text(tag.text)}`)].join('\n');
  } finally {
    service.dispose();
  }
}
