import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../scripts/lib/paths.ts';

export interface Step {
  name: string;
  /** What `ours` runs: the npm script's own command line, as `npm run` would run it (without npm itself). */
  ours: string[];
  /** The same deliverable by the tools' own commands. */
  bare: string[];
  /** What the bare side does, for the results page. */
  bareDescription: string;
}

const scripts = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
const quote = (arg: string) => (/^[\w./=:-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`);
const line = (...args: string[]) => args.map(quote).join(' ');

/** A shell command line with the project's bins on PATH, as npm runs a script. */
export const shell = (commandLine: string) => ['sh', '-c', `export PATH=${quote(join(repoRoot, 'node_modules', '.bin'))}:"$PATH"; ${commandLine}`];

export function npmScript(name: string): string[] {
  const commandLine = scripts[name];
  if (!commandLine) throw new Error(`package.json has no script "${name}".`);
  return shell(commandLine);
}

/**
 * Each measured step of the pipeline at one scale: ours reads the spec and writes where the
 * METORIAL_* variables point; bare reads the same spec and writes under `bareDir`. `ruleset` is the
 * Spectral ruleset (OWASP, honouring the waivers written in the spec), run on the split spec as
 * `npm run lint` and an editor run it.
 */
export function pipelineSteps(specRoot: string, bareDir: string, ruleset: string): Step[] {
  const out = (name: string) => join(bareDir, name);
  const lint = [line('redocly', 'lint', specRoot), line('spectral', 'lint', specRoot, '--ruleset', ruleset, '--quiet', '--fail-severity', 'warn')].join(' && ');
  const bundle = line('redocly', 'bundle', specRoot, '--output', out('openapi.yaml'));
  const docs = line('redocly', 'build-docs', specRoot, '--inlineBundle', '--output', out('index.html'));
  const types = line('openapi-typescript', specRoot, '--root-types', '--root-types-no-schema-prefix', '--output', out('schema.d.ts'));
  return [
    { name: 'lint', ours: npmScript('lint'), bare: shell(lint), bareDescription: '`redocly lint`, then `spectral lint` with the OWASP ruleset, of the split spec' },
    { name: 'bundle', ours: npmScript('bundle'), bare: shell(bundle), bareDescription: '`redocly bundle` to YAML (ours also writes JSON and adds code samples)' },
    { name: 'docs', ours: npmScript('docs'), bare: shell(docs), bareDescription: '`redocly build-docs --inlineBundle` of the split spec (ours also writes the bundle)' },
    { name: 'types', ours: npmScript('generate'), bare: shell(types), bareDescription: '`openapi-typescript` CLI on the split spec (ours also writes the bundled JSON)' },
    { name: 'whole build', ours: npmScript('build'), bare: shell([lint, bundle, docs, types].join(' && ')), bareDescription: 'the four commands above, one after another' },
  ];
}
