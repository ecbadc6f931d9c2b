import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../scripts/lib/atomic-write.ts';
import { repoRoot } from '../../scripts/lib/paths.ts';
import type { Operation } from '../../scripts/lib/spec-requests.ts';

export const coverageReportFile = join(repoRoot, 'test-results', 'contract-coverage.json');

interface Row {
  operationId: string;
  status: string;
  exercised: boolean;
  examples: string[];
  parameters: string[];
}

/**
 * What the contract suite exercised, against what the spec documents: every operation with every
 * response status, every named example and every query parameter.
 */
export class CoverageRecorder {
  private readonly rows = new Map<string, Row>();
  private readonly parametersExercised = new Map<string, Set<string>>();

  constructor(private readonly operations: Operation[]) {
    for (const op of operations) {
      this.parametersExercised.set(op.operationId, new Set());
      for (const response of op.responses) {
        this.rows.set(`${op.operationId} ${response.status}`, { operationId: op.operationId, status: response.status, exercised: false, examples: [], parameters: [] });
      }
    }
  }

  /** An answer the suite checked: the status is the one the server actually sent. */
  record(operationId: string, status: number, details: { example?: string; parameters?: string[] } = {}): void {
    const row = this.rows.get(`${operationId} ${status}`);
    if (!row) throw new Error(`${operationId} answered ${status}, which the spec does not document`);
    row.exercised = true;
    if (details.example && !row.examples.includes(details.example)) row.examples.push(details.example);
    for (const name of details.parameters ?? []) {
      if (!row.parameters.includes(name)) row.parameters.push(name);
      this.parametersExercised.get(operationId)!.add(name);
    }
  }

  /** Documented pairs, examples and query parameters no check exercised, one line each. */
  gaps(): string[] {
    const gaps: string[] = [];
    for (const op of this.operations) {
      for (const response of op.responses) {
        const row = this.rows.get(`${op.operationId} ${response.status}`)!;
        if (!row.exercised) gaps.push(`${op.operationId} ${response.status}: never answered`);
        for (const example of response.examples) {
          if (!row.examples.includes(example)) gaps.push(`${op.operationId} ${response.status}: example ${example} never served`);
        }
      }
      for (const parameter of op.parameters.filter((p) => p.in === 'query')) {
        if (!this.parametersExercised.get(op.operationId)!.has(parameter.name)) gaps.push(`${op.operationId}: query parameter ${parameter.name} never sent`);
      }
    }
    return gaps;
  }

  table(): string {
    const lines = ['| operation | status | exercised | examples served | query parameters sent |', '|---|---|---|---|---|'];
    for (const row of this.rows.values()) {
      lines.push(`| ${row.operationId} | ${row.status} | ${row.exercised ? 'yes' : 'NO'} | ${row.examples.join(', ')} | ${row.parameters.join(', ')} |`);
    }
    return lines.join('\n');
  }

  write(file = coverageReportFile): void {
    mkdirSync(join(file, '..'), { recursive: true });
    const report = { generatedAt: new Date().toISOString(), rows: [...this.rows.values()], gaps: this.gaps() };
    writeFileAtomic(file, `${JSON.stringify(report, null, 2)}\n`);
  }
}
