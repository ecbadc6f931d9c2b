import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../scripts/lib/paths.ts';
import { typeScriptExamples } from './support/consumer-project.ts';
import { typeCheckSnippets } from './support/typescript-check.ts';

const examples = typeScriptExamples(join(repoRoot, 'README.md')).map((code, index) => ({ name: `readme-example-${index + 1}`, code }));

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
