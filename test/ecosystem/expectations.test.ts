import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { judge, judgeMutation, type Mutation } from '../../ecosystem/expectations.ts';
import { readmeTable, testedOnTable } from '../../ecosystem/table.ts';
import { allTargets } from '../../ecosystem/targets.ts';
import { requireTool, ToolMissingError } from '../../ecosystem/toolchain.ts';

/**
 * The ecosystem matrix's judgement, without running a runtime (`npm run test:runtimes` runs them):
 * a known failure passes only when it fails as expected, an unexpected pass fails, and a mutation
 * must break exactly the targets it names.
 */
const expected = { workerd: { validation: { reason: 'no code generation', error: /may compile code at run time/ } } };

describe('the ecosystem matrix judges', () => {
  it('a pass as a pass, and a known failure failing as expected as an expected failure', () => {
    const judged = judge(
      [{ target: 'workerd', cases: { list: { ok: true }, validation: { ok: false, error: 'MetorialConfigurationError: Response validation needs a runtime that may compile code at run time' } } }],
      expected,
    );
    expect(judged.map((j) => j.verdict)).toEqual(['pass', 'expected failure']);
  });

  it('an unexpected pass as a failure of the run that says to take the expectation out', () => {
    const [judged] = judge([{ target: 'workerd', cases: { validation: { ok: true } } }], expected);
    expect(judged?.verdict).toBe('UNEXPECTED PASS');
    expect(judged?.detail).toMatch(/take it out of ecosystem\/expectations.ts/);
  });

  it('a known failure that fails for another reason, and any unknown failure, as failures', () => {
    const judged = judge(
      [
        { target: 'workerd', cases: { validation: { ok: false, error: 'TypeError: fetch failed' } } },
        { target: 'bun', cases: { list: { ok: false, error: 'Error: asked for 3 runs, got 2' } } },
      ],
      expected,
    );
    expect(judged.map((j) => [j.verdict, j.detail])).toEqual([
      ['FAIL', expect.stringContaining('failed, but not as expected')],
      ['FAIL', 'Error: asked for 3 runs, got 2'],
    ]);
  });

  it('a mutation as caught only when it breaks exactly the targets it names', () => {
    const mutation: Mutation = { change: 'a Node-only call', esm: '', cjs: '', breaks: ['workerd'] };
    const broken = { ok: false, error: 'bundling worker.mjs failed: Could not resolve "node:fs"' };
    expect(judgeMutation('node-import', [{ target: 'workerd', cases: { list: broken } }, { target: 'bun', cases: { list: { ok: true } } }], mutation)).toEqual([]);
    expect(judgeMutation('node-import', [{ target: 'workerd', cases: { list: { ok: true } } }], mutation)).toEqual([expect.stringMatching(/workerd still passes/)]);
    expect(judgeMutation('node-import', [{ target: 'workerd', cases: { list: broken } }, { target: 'bun', cases: { list: broken } }], mutation)).toEqual([
      expect.stringMatching(/bun fails with a Node-only call, which it should survive/),
    ]);
    expect(judgeMutation('node-import', [], mutation)).toEqual([expect.stringMatching(/workerd was not run/)]);
  });
});

describe("the package README's Tested on table", () => {
  it('is what the matrix runs, with the known failures (npm run test:runtimes -- --write-readme writes it)', () => {
    expect(readmeTable()).toBe(testedOnTable(allTargets()));
  });
});

describe('a runtime the matrix cannot find', () => {
  it('fails with a message naming it, its version and the command that installs it', () => {
    const empty = mkdtempSync(join(tmpdir(), 'metorial-runtimes-'));
    try {
      expect(() => requireTool('bun', empty)).toThrow(ToolMissingError);
      expect(() => requireTool('bun', empty)).toThrow(/^Bun 1\.4\.5 \(npm package bun@1\.4\.5\) is not installed in .*: run `npm run setup:runtimes`/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
