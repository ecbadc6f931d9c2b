import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { writeCommonJsDeclarations } from '../../scripts/lib/client-package.ts';

// The client package's `.d.cts` files are its `.d.ts` files with sibling imports pointing at the
// `.cjs` twins (issue 23: the second declaration build was half of the client build at 60x). The
// built package is checked by @arethetypeswrong/cli in test/publish/client-package.test.ts; this
// checks the rewrite itself on the forms a bundled declaration file uses.

const dir = mkdtempSync(join(tmpdir(), 'metorial-cjs-dts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('writes each .d.ts again as .d.cts, changing only relative .js specifiers to .cjs', () => {
  const esm = [
    'import { a as MetorialError, t as APIError } from "./errors.js";',
    "import type { FetchResponse } from 'openapi-fetch';",
    'import { x } from "../shared/x.js";',
    'export { b } from "./chunk-1.js";',
    'export type Lazy = typeof import("./validation.js");',
    'import "./side-effect.js";',
    '/** Named like `./errors.js` in prose: left alone. */',
    'declare const file = "./not-an-import.js";',
    'import { y } from "./data.json.js";',
    'import { z } from "openapi-typescript-helpers/index.js";',
  ].join('\n');
  writeFileSync(join(dir, 'index.d.ts'), esm);
  writeFileSync(join(dir, 'index.js'), 'export {};');
  writeCommonJsDeclarations(dir);

  expect(readdirSync(dir).sort()).toEqual(['index.d.cts', 'index.d.ts', 'index.js']);
  expect(readFileSync(join(dir, 'index.d.cts'), 'utf8').split('\n')).toEqual([
    'import { a as MetorialError, t as APIError } from "./errors.cjs";',
    "import type { FetchResponse } from 'openapi-fetch';",
    'import { x } from "../shared/x.cjs";',
    'export { b } from "./chunk-1.cjs";',
    'export type Lazy = typeof import("./validation.cjs");',
    'import "./side-effect.cjs";',
    '/** Named like `./errors.js` in prose: left alone. */',
    'declare const file = "./not-an-import.js";',
    'import { y } from "./data.json.cjs";',
    'import { z } from "openapi-typescript-helpers/index.js";',
  ]);
});
