import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../scripts/lib/paths.ts';
import { typeCheckSnippets } from './support/typescript-check.ts';

const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
const examples = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((match, index) => ({ name: `readme-example-${index + 1}`, code: match[1] ?? '' }));

describe('the README', () => {
  it('has TypeScript examples', () => {
    expect(examples.length).toBeGreaterThanOrEqual(2);
  });

  // One program: the examples, and one that does not compile, which shows the check can fail.
  it('has only examples that compile under strict against the real client; a wrong one would not', async () => {
    const broken = { name: 'broken', code: "import { createClient } from './src/index.ts';\nawait createClient().get('/no-such-path');\n" };
    const found = await typeCheckSnippets([...examples, broken]);
    expect(found.filter((line) => !line.startsWith('broken.ts:'))).toEqual([]);
    expect(found.join('\n')).toMatch(/^broken\.ts:2: /m);
  });
});
