import { MetorialConfigurationError } from './errors.ts';

/**
 * The value of an environment variable, or undefined where there is no environment (browsers, edge
 * runtimes, Workers without `nodejs_compat`). Called only for an option the caller left out, so code
 * that passes every value never touches the environment: Deno refuses reads without `--allow-env`
 * (a `NotCapable` error), and a script given `apiKey` and `baseUrl` should need no such permission.
 * @throws MetorialConfigurationError when the runtime refuses the read, naming the option to pass instead.
 */
export function readEnvironment(name: string, option: string): string | undefined {
  const environment = globalThis.process?.env;
  if (!environment) return undefined;
  try {
    return environment[name];
  } catch {
    // Deno without --allow-env: its process.env throws on a read. The runtime's message adds nothing safe to repeat.
    throw new MetorialConfigurationError(`The runtime refused to read the environment variable ${name}: pass createClient({ ${option} }) or allow it (Deno: --allow-env=${name}).`);
  }
}
