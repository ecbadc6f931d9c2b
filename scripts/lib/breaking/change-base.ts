import { execFileSync } from 'node:child_process';
import { repoRoot } from '../paths.ts';

/** What "this change" is compared with: a git ref, and why that one. */
export interface ChangeBase {
  ref: string;
  /** For the report: `merge-base with main (1a2b3c4)`. */
  label: string;
}

const git = (args: string[]): string | undefined => {
  try {
    return execFileSync('git', args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'ignore'], encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
};

/** The branch changes are merged into: origin's HEAD in a clone, else a local main or master. */
function defaultBranch(): string | undefined {
  const remote = git(['symbolic-ref', '--quiet', '--short', 'refs/remotes/origin/HEAD']);
  if (remote) return remote;
  return ['main', 'master'].find((name) => git(['rev-parse', '--verify', '--quiet', `refs/heads/${name}`]) !== undefined);
}

/**
 * The base of the change being judged, found from git (`METORIAL_BREAKING_BASE` names it outright,
 * as a CI that knows a pull request's base can: `origin/main`):
 * - on a branch with commits of its own: where it forked from the default branch (its merge-base),
 *   so the change is every commit of the branch plus what is not committed;
 * - on the default branch with edits to spec/ not committed: HEAD, so the change is those edits;
 * - on the default branch with nothing uncommitted (CI's fresh clone of main): the previous commit,
 *   so the change is the last commit (a branch landed by fast-forward had its other commits judged
 *   on the branch, against its merge-base, before it landed).
 * Returns a reason instead when there is nothing to compare with (no git, a shallow clone, the first commit).
 */
export function findChangeBase(env: NodeJS.ProcessEnv = process.env): ChangeBase | { none: string } {
  if (env.METORIAL_BREAKING_BASE) return { ref: env.METORIAL_BREAKING_BASE, label: `${env.METORIAL_BREAKING_BASE} (METORIAL_BREAKING_BASE)` };
  const head = git(['rev-parse', 'HEAD']);
  if (!head) return { none: 'this is not a git checkout, so there is no base to judge a change against' };
  const short = (sha: string) => sha.slice(0, 7);
  const branch = defaultBranch();
  const mergeBase = branch ? git(['merge-base', 'HEAD', branch]) : undefined;
  if (mergeBase && mergeBase !== head) return { ref: mergeBase, label: `the merge-base with ${branch} (${short(mergeBase)})` };
  if (git(['status', '--porcelain', '--', 'spec'])) return { ref: 'HEAD', label: `HEAD (${short(head)}), with the edits to spec/ not committed yet` };
  const parent = git(['rev-parse', '--verify', '--quiet', 'HEAD^']);
  if (parent) return { ref: parent, label: `the previous commit (${short(parent)}): the change judged is the last commit, ${short(head)}` };
  return { none: 'HEAD has no parent commit here (the first commit, or a shallow clone: fetch more history)' };
}
