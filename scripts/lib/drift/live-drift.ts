import type { OpenAPI3 } from 'openapi-typescript';
import type { Operation } from '../spec-requests.ts';
import { DriftDetector, type DriftFindings, formatDrift } from './drift.ts';

/**
 * Drift for `npm run live`: what each answer carried that the spec does not document, and which named
 * shape it took, by operation. Kept apart from scripts/lib/live.ts, which only calls it.
 */
export class LiveDrift {
  private readonly detector: DriftDetector;

  constructor(document: OpenAPI3) {
    this.detector = new DriftDetector(document as unknown as ConstructorParameters<typeof DriftDetector>[0]);
  }

  /**
   * The drift of one answer. Only a body the server sent as `application/json` has any: not one that
   * is not JSON (undefined), nor the `application/problem+json` Prism answers in place of a response
   * that breaks the contract (its violations are reported as such).
   */
  of(operation: Operation, status: number, body: unknown, contentType: string | null): DriftFindings {
    if (body === undefined || !contentType?.includes('application/json')) return { undocumented: [], shapes: [] };
    return this.detector.responseDrift(operation.method, operation.path, status, body);
  }
}

interface ResultWithDrift {
  operationId: string;
  method: string;
  path: string;
  drift?: DriftFindings;
}

/** How many places in all the answers carried an undocumented field. */
export function undocumentedFieldCount(results: ResultWithDrift[]): number {
  return results.reduce((sum, r) => sum + (r.drift?.undocumented.length ?? 0), 0);
}

/**
 * The drift section of the live report: each operation whose answer carried undocumented fields or
 * took a named shape, with one line for each. `strict` says whether undocumented fields fail the run.
 */
export function formatLiveDrift(results: ResultWithDrift[], strict: boolean): string[] {
  const lines: string[] = [];
  for (const r of results.filter((x) => x.drift && (x.drift.undocumented.length || x.drift.shapes.length))) {
    const mark = r.drift!.undocumented.length ? (strict ? '✖' : '⚠') : '•';
    lines.push('', `${mark} ${r.operationId} (${r.method} ${r.path}): drift`);
    for (const line of formatDrift(r.drift!)) lines.push(`  ${line}`);
  }
  const count = undocumentedFieldCount(results);
  if (count > 0) {
    lines.push(
      '',
      strict
        ? `${count} undocumented field(s): drift fails the run in --strict mode. Document them in spec/ (or report them to the API's owners).`
        : `${count} undocumented field(s): drift, not a violation (clients tolerate added fields). Document them in spec/; --strict fails on them.`,
    );
  }
  return lines;
}
