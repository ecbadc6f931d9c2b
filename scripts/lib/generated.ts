import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { OpenApiDocument } from './bundle.ts';
import { writeFileAtomic } from './atomic-write.ts';
import { renderClientPackageJson, renderVersionModule } from './client-version.ts';
import { clientDir, clientPackageTemplate, generatedResourceDeclarations, generatedResourceTable, generatedSpec, generatedTypes, generatedVersionModule, repoRoot } from './paths.ts';
import { renderResourceDeclarations, renderResourceTable } from './sdk/resource-files.ts';
import { resourceModel } from './sdk/resource-model.ts';
import { renderTypes } from './types.ts';

/**
 * Every file derived from the spec, with the content the spec calls for now: generated/, and the
 * client package's package.json, whose version is the spec's info.version.
 */
export async function renderGeneratedFiles(document: OpenApiDocument): Promise<Map<string, string>> {
  const clientPackage = renderClientPackageJson(readFileSync(clientPackageTemplate, 'utf8'), document);
  const resources = resourceModel(document);
  const types = await renderTypes(document);
  return new Map([
    [generatedTypes, types],
    [generatedResourceDeclarations, renderResourceDeclarations(resources, types)],
    [generatedResourceTable, renderResourceTable(resources)],
    // The client's optional response validation reads the bundled spec at run time.
    [generatedSpec, `${JSON.stringify(document, null, 2)}\n`],
    [generatedVersionModule, renderVersionModule(clientPackage)],
    [join(clientDir, 'package.json'), clientPackage],
  ]);
}

export async function writeGeneratedFiles(document: OpenApiDocument): Promise<string[]> {
  const files = await renderGeneratedFiles(document);
  for (const [path, content] of files) writeFileAtomic(path, content);
  return [...files.keys()].map((path) => relative(repoRoot, path));
}

/** The generated files whose committed content differs from what the spec calls for. */
export async function findStaleGeneratedFiles(document: OpenApiDocument): Promise<string[]> {
  const files = await renderGeneratedFiles(document);
  return [...files]
    .filter(([path, content]) => !existsSync(path) || readFileSync(path, 'utf8') !== content)
    .map(([path]) => relative(repoRoot, path));
}

export function staleMessage(stale: string[]): string {
  return (
    `Files generated from the spec are out of date: ${stale.join(', ')}.\n` +
    'Run `npm run generate` and commit the result. Never edit generated files by hand.'
  );
}
