import spec from '../../generated/openapi.json' with { type: 'json' };

/**
 * What the benchmark's servers answer: the spec's own example of `GET /server-runs` (one server run
 * with its server, deployment and session: about 1.7 KB of JSON), the operation every contender calls.
 */
export const benchBody = JSON.stringify((spec as { components: { examples: Record<string, { value: unknown }> } }).components.examples.ServerRunList!.value);
