import { parseArgs } from 'node:util';
import { faultStatuses, type FaultOptions, type FaultStatus } from './faults.ts';

/** The sandbox's command-line options, shared by `npm run sandbox` and the sandbox process itself. */
export const sandboxUsage =
  '[--port 4010] [--seed 1] [--count 100] [--data-file state.json] [--latency-ms N] [--fault 429|500|503]\n' +
  '         [--fault-rate 0..1] [--retry-after S] [--lifecycle-scale 1] [--no-prism]';

export interface SandboxCliOptions {
  spec?: string;
  port?: number;
  seed?: number;
  count?: number;
  dataFile?: string;
  faults: FaultOptions;
  lifecycleScale?: number;
  noPrism: boolean;
}

function wholeNumber(name: string, value: string | undefined, max: number, min = 0): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) > max || Number(value) < min) throw new Error(`--${name} takes a whole number from ${min} to ${max}, not "${value}".`);
  return Number(value);
}

function number(name: string, value: string | undefined, max: number): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (value.trim() === '' || !(parsed >= 0 && parsed <= max)) throw new Error(`--${name} takes a number from 0 to ${max}, not "${value}".`);
  return parsed;
}

/**
 * Reads the sandbox's options from `args` (process.argv after the script).
 * @throws Error naming the option and what it takes, for an unknown option or a bad value.
 */
export function parseSandboxArgs(args: string[], defaults: { port?: string } = {}): SandboxCliOptions {
  const { values } = parseArgs({
    args,
    options: {
      spec: { type: 'string' },
      port: { type: 'string', ...(defaults.port ? { default: defaults.port } : {}) },
      seed: { type: 'string' },
      count: { type: 'string' },
      'data-file': { type: 'string' },
      'latency-ms': { type: 'string' },
      fault: { type: 'string' },
      'fault-rate': { type: 'string' },
      'retry-after': { type: 'string' },
      'lifecycle-scale': { type: 'string' },
      'no-prism': { type: 'boolean', default: false },
    },
  });
  const faults: FaultOptions = {};
  const latency = wholeNumber('latency-ms', values['latency-ms'], 120_000);
  if (latency !== undefined) faults.latencyMs = latency;
  if (values.fault !== undefined) {
    const status = Number(values.fault) as FaultStatus;
    if (!faultStatuses.includes(status)) throw new Error(`--fault takes ${faultStatuses.join(', ')}, not "${values.fault}".`);
    faults.status = status;
  }
  const rate = number('fault-rate', values['fault-rate'], 1);
  if (rate !== undefined) faults.rate = rate;
  const retryAfter = wholeNumber('retry-after', values['retry-after'], 86_400);
  if (retryAfter !== undefined) faults.retryAfterSeconds = retryAfter;
  const options: SandboxCliOptions = { faults, noPrism: values['no-prism'] ?? false };
  if (values.spec) options.spec = values.spec;
  const port = wholeNumber('port', values.port, 65_535);
  if (port !== undefined) options.port = port;
  const seed = wholeNumber('seed', values.seed, 2 ** 31 - 1);
  if (seed !== undefined) options.seed = seed;
  const count = wholeNumber('count', values.count, 1_000_000, 1);
  if (count !== undefined) options.count = count;
  if (values['data-file']) options.dataFile = values['data-file'];
  const scale = number('lifecycle-scale', values['lifecycle-scale'], 1_000);
  if (scale !== undefined) options.lifecycleScale = scale;
  return options;
}
