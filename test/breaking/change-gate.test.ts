import { execFile, execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../scripts/lib/paths.ts';
import { addGetSession, addOptionalQueryParameter, removeServerVersionId } from '../support/maintainer-edits.ts';

/*
 * The per-change gate as a maintainer and CI meet it: a clone whose main is this checkout, a branch
 * with the three edits of issue 23 (a new operation, a new optional parameter, a required response
 * field removed), the gate run on the branch, then on main after a fast-forward, as CI's fresh clone does.
 */

const clone = mkdtempSync(join(tmpdir(), 'metorial-change-gate-'));
afterAll(() => rmSync(clone, { recursive: true, force: true }));

const git = (...args: string[]) => execFileSync('git', args, { cwd: clone, stdio: 'pipe', encoding: 'utf8' });

function gate(...extra: string[]): Promise<{ code: number; stdout: string }> {
  const env = { ...process.env, METORIAL_BREAKING_BASE: '' };
  return promisify(execFile)(process.execPath, ['--import', 'tsx', join(clone, 'scripts', 'breaking.ts'), '--gate', ...extra], { cwd: clone, env }).then(
    (r) => ({ code: 0, stdout: r.stdout }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: `${e.stdout}\n${e.stderr}` }),
  );
}

beforeAll(() => {
  // The checkout as it is (committed or not), as the main branch of a new repository.
  const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: repoRoot, encoding: 'utf8' }).split('\0').filter(Boolean);
  for (const file of files) {
    try {
      mkdirSync(dirname(join(clone, file)), { recursive: true });
      cpSync(join(repoRoot, file), join(clone, file));
    } catch {
      // A file deleted in the working tree but still tracked: not part of the checkout as it is.
    }
  }
  symlinkSync(join(repoRoot, 'node_modules'), join(clone, 'node_modules'));
  git('init', '--quiet', '--initial-branch=main');
  git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'add', '--all');
  git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '--quiet', '-m', 'base');
  git('checkout', '--quiet', '-b', 'maintainer-change');
  const spec = join(clone, 'spec');
  addGetSession(spec);
  addOptionalQueryParameter(spec);
  removeServerVersionId(spec);
  git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '--quiet', '--all', '-m', 'the three edits');
  // Untracked new files are committed too.
  git('add', '--all');
  git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '--quiet', '--amend', '--no-edit');
}, 600_000);

describe('the per-change gate, in a fresh clone', () => {
  it('fails on the branch, naming the removal as new in this change and saying how to acknowledge it', { timeout: 600_000 }, async () => {
    const { code, stdout } = await gate();
    expect(code, stdout).toBe(1);
    // What this change adds comes first, against the merge-base with main.
    expect(stdout.indexOf('This change, against the merge-base with main')).toBe(0);
    const thisChange = stdout.slice(0, stdout.indexOf('Changes from release'));
    expect(thisChange).toContain('✖ 1 breaking change(s) new in this change, not acknowledged:');
    expect(thisChange).toMatch(/ServerRun schema server_version_id \(in GET \/server-runs, GET \/server-runs\/\{server_run_id\}\): field server_version_id was removed \(response-field-removed\)/);
    expect(thisChange).toContain("component: '#/components/schemas/ServerRun'");
    expect(thisChange).toContain('spec/acknowledged-breaking-changes.yaml');
    // The two other edits are in this change, not breaking, with parameter names kept.
    expect(thisChange).toMatch(/GET \/sessions\/\{session_id\} — Get a session \[Sessions\]\n\s+• new operation \(operation-added\)/);
    expect(thisChange).toMatch(/query parameter server_name_prefix: new optional query parameter server_name_prefix \(parameter-added\)/);
  });

  it('fails the same way on main after a fast-forward, as CI judges the last commit', { timeout: 600_000 }, async () => {
    git('checkout', '--quiet', 'main');
    git('merge', '--quiet', '--ff-only', 'maintainer-change');
    try {
      const { code, stdout } = await gate();
      expect(code, stdout).toBe(1);
      expect(stdout).toMatch(/^This change, against the previous commit \([0-9a-f]{7}\): the change judged is the last commit/);
      expect(stdout).toContain('✖ 1 breaking change(s) new in this change, not acknowledged:');
    } finally {
      git('reset', '--quiet', '--hard', 'HEAD^');
      git('checkout', '--quiet', 'maintainer-change');
    }
  });

  it('passes once the removal is acknowledged with a reason, which the report shows', { timeout: 600_000 }, async () => {
    const file = join(clone, 'spec', 'acknowledged-breaking-changes.yaml');
    const before = readFileSync(file, 'utf8');
    writeFileSync(
      file,
      before.replace(
        /^acknowledged: \[\]$/m,
        "acknowledged:\n  - rule: response-field-removed\n    component: '#/components/schemas/ServerRun'\n    location: 'server_version_id'\n    reason: Server runs no longer name a server version.",
      ),
    );
    const markdown = join(clone, 'changes.md');
    try {
      const { code, stdout } = await gate('--markdown', markdown);
      expect(code, stdout).toBe(0);
      expect(stdout).toContain('[acknowledged: Server runs no longer name a server version.]');
      expect(readFileSync(markdown, 'utf8')).toContain('Why: Server runs no longer name a server version.');
    } finally {
      writeFileSync(file, before);
    }
  });
});
