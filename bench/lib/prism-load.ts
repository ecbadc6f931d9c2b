import { startPrism, type RunningPrism } from '../../scripts/lib/prism.ts';
import { median } from './measure.ts';

export interface LoadResult {
  level: string;
  rps: number;
  p50: number;
  p99: number;
}

const connections = 10;

/** `connections` loops calling `url` for `ms`; requests per second and every latency in ms. */
async function load(url: string, ms: number): Promise<{ rps: number; latencies: number[] }> {
  const call = async () => {
    const response = await fetch(url, { headers: { Authorization: 'Bearer metorial_sk_bench' } });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`${url} answered ${response.status}; the load test expects 200.`);
  };
  const latencies: number[] = [];
  const started = performance.now();
  const until = started + ms;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < until) {
        const t = performance.now();
        await call();
        latencies.push(performance.now() - t);
      }
    }),
  );
  return { rps: latencies.length / ((performance.now() - started) / 1000), latencies };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;

/**
 * One Prism per log level, all serving `spec`, loaded in turn for `rounds` rounds of `ms` each so
 * the machine's noise hits every level alike; the median round's rate and the pooled latencies.
 */
export async function prismUnderLoad(spec: string, path: string, levels: string[], rounds: number, ms: number): Promise<LoadResult[]> {
  const prisms: Array<{ level: string; prism: RunningPrism }> = [];
  try {
    for (const level of levels) prisms.push({ level, prism: await startPrism({ spec, args: ['--verboseLevel', level] }) });
    const runs = new Map(levels.map((level) => [level, { rates: [] as number[], latencies: [] as number[] }]));
    for (const { prism } of prisms) await load(`${prism.url}${path}`, 500); // warm-up
    for (let round = 0; round < rounds; round++) {
      for (const { level, prism } of prisms) {
        const result = await load(`${prism.url}${path}`, ms);
        runs.get(level)!.rates.push(result.rps);
        runs.get(level)!.latencies.push(...result.latencies);
      }
    }
    return levels.map((level) => {
      const { rates, latencies } = runs.get(level)!;
      latencies.sort((a, b) => a - b);
      return { level, rps: median(rates), p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99) };
    });
  } finally {
    await Promise.all(prisms.map(({ prism }) => prism.stop()));
  }
}
