import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { renderReference } from '../../scripts/lib/docs.ts';
import { withContentSecurityPolicy } from '../../scripts/lib/reference-csp.ts';
import { launchChromium } from '../support/chromium.ts';
import { suiteBuild } from '../support/suite-build.ts';

/**
 * Issue 22, item 7: the reference runs no script that the spec's text carries, whatever its
 * encoding. A spec whose descriptions and URLs hold the ways HTML runs script (the issue's
 * `<iframe srcdoc="&lt;script&gt;…">`, event handlers, `javascript:` and entity-encoded links,
 * plugins, forms, meta refresh, `<base>`, mutation-XSS markup) is rendered by the build's own
 * renderReference and opened in Chromium. Each payload calls `pwned(name)`, a function the test
 * exposes in every frame: it must never be called, while the same page without its policy shows
 * the payloads do run, and the page still renders.
 */
const payloads = [
  `<iframe srcdoc="&lt;script&gt;pwned('iframe-srcdoc')&lt;/script&gt;"></iframe>`,
  `<iframe srcdoc="&#60;img src=x onerror=pwned('iframe-srcdoc-entity')&#62;"></iframe>`,
  `<iframe src="data:text/html,<script>pwned('iframe-data')</script>"></iframe>`,
  `<img src="x" onerror="pwned('img-onerror')">`,
  `<svg onload="pwned('svg-onload')"><circle r="1"/></svg>`,
  `<details open ontoggle="pwned('details-ontoggle')"><summary>s</summary>x</details>`,
  `<input autofocus onfocus="pwned('input-onfocus')">`,
  `<a class="hostile-link" href="javascript:pwned('js-link')">js link</a>`,
  `<a class="hostile-link" href="&#106;avascript&#58;pwned('js-link-entity')">entity link</a>`,
  `<a class="hostile-link" href="JaVaScRiPt:pwned('js-link-case')">case link</a>`,
  `<object data="data:text/html,<script>pwned('object')</script>"></object>`,
  `<embed src="data:text/html,<script>pwned('embed')</script>">`,
  `<form action="javascript:pwned('form')"><button class="hostile-button">go</button></form>`,
  `<meta http-equiv="refresh" content="0;url=javascript:pwned('meta-refresh')">`,
  `<script>pwned('script-tag')</script>`,
  `<math><mtext><table><mglyph><style><img src=x onerror="pwned('mxss')"></style></mglyph></table></mtext></math>`,
  `[markdown link](javascript:pwned('markdown-link'))`,
];

const hostileSpec = {
  openapi: '3.1.0',
  info: {
    title: 'Hostile',
    version: '1.0.0',
    description: `Intro.\n\n${payloads.join('\n\n')}`,
    contact: { name: 'c', url: "javascript:pwned('contact-url')" },
  },
  externalDocs: { url: "javascript:pwned('external-docs')", description: 'docs' },
  tags: [{ name: 'things', description: payloads.slice(0, 6).join('\n\n') }],
  paths: {
    '/things': {
      get: {
        operationId: 'listThings',
        tags: ['things'],
        summary: 'List things',
        description: payloads.slice(6).join('\n\n'),
        parameters: [{ name: 'q', in: 'query', description: payloads[3], schema: { type: 'string', description: payloads[0] } }],
        responses: { '200': { description: payloads[4]!, content: { 'application/json': { schema: { type: 'object', description: payloads[1] } } } } },
      },
    },
  },
};

const scratch = mkdtempSync(join(tmpdir(), 'metorial-reference-scripts-'));
let browser: Browser;
let withPolicy: string;
let withoutPolicy: string;

beforeAll(async () => {
  const spec = join(scratch, 'openapi.json');
  writeFileSync(spec, JSON.stringify(hostileSpec));
  withPolicy = join(scratch, 'index.html');
  const [launched] = await Promise.all([launchChromium(), renderReference(spec, withPolicy)]);
  browser = launched;
  withoutPolicy = join(scratch, 'without-policy.html');
  writeFileSync(withoutPolicy, readFileSync(withPolicy, 'utf8').replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, ''));
}, 240_000);

afterAll(async () => {
  await browser?.close();
  rmSync(scratch, { recursive: true, force: true });
});

/** Opens a page with `pwned` exposed in every frame and the network blocked; clicks every hostile link and button. */
async function open(file: string): Promise<{ page: Page; ran: string[]; violations: string[] }> {
  const page = await browser.newPage();
  const ran: string[] = [];
  const violations: string[] = [];
  await page.exposeBinding('pwned', (_source, name: string) => void ran.push(name));
  await page.exposeBinding('reportViolation', (_source, directive: string) => void violations.push(directive));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => (window as unknown as { reportViolation(d: string): void }).reportViolation(event.effectiveDirective));
  });
  await page.route('**/*', (route) => (/^(file|data|about|blob):/.test(route.request().url()) ? route.continue() : route.abort('blockedbyclient')));
  await page.goto(pathToFileURL(file).href);
  await page.getByText('Intro.').first().waitFor();
  // The operation's page, whose description holds the rest of the payloads.
  await page.getByText('things', { exact: true }).first().click();
  await page.getByText('List things').first().click();
  await page.locator('button.hostile-button').first().waitFor({ state: 'attached' });
  for (const target of await page.locator('a.hostile-link, button.hostile-button, a[href^="javascript:" i]').all()) {
    await target.click({ timeout: 2_000, force: true, noWaitAfter: true }).catch(() => {});
  }
  return { page, ran, violations };
}

describe('the reference runs no script the spec carries', () => {
  it('the page as built: no payload runs, the policy reports blocking them, and the operations render', async () => {
    const { page, ran, violations } = await open(withPolicy);
    // The payloads were tried (and blocked): script, frame and plugin directives each reported.
    await vi.waitFor(() => expect(violations).toEqual(expect.arrayContaining(['script-src-attr', 'frame-src', 'object-src'])), { timeout: 30_000 });
    expect(ran).toEqual([]);
    await expect(page.getByText('List things').first().isVisible()).resolves.toBe(true);
    await expect(page.getByText('Intro.').first().isVisible()).resolves.toBe(true);
    await page.close();
  });

  it('without the policy, the same page does run payloads (so the check above can fail)', async () => {
    const { page, ran } = await open(withoutPolicy);
    await vi.waitFor(() => expect(ran.length).toBeGreaterThan(0), { timeout: 30_000 });
    await page.close();
  });

  it('the built reference carries the policy first in its head, allowing only its own inline scripts', async () => {
    const html = readFileSync(join((await suiteBuild()).dist, 'index.html'), 'utf8');
    expect(html).toMatch(/<head>\s*<meta http-equiv="Content-Security-Policy" content="script-src ('sha256-[A-Za-z0-9+/=]+' ?)+; object-src 'none'; frame-src 'none'; child-src 'none'; base-uri 'none'; form-action 'none'">/);
    expect(html).not.toMatch(/unsafe-inline|unsafe-eval/);
  }, 240_000);
});

describe('the policy step', () => {
  const page = (content: string) =>
    `<html><head><title>t</title></head><body><div id="redoc">${content}</div><script type="module">hydrate()</script></body></html>`;

  it("refuses a page whose rendered spec text holds a script, and allows Redoc's own", () => {
    expect(() => withContentSecurityPolicy(page('<p>x</p><script>pwned()</script>'))).toThrow(/holds a <script> in the text rendered from the spec/);
    expect(() => withContentSecurityPolicy(page('<script src="https://cdn.example/x.js"></script>'))).toThrow(/loads a script from elsewhere/);
    const html = withContentSecurityPolicy(page('<p>x</p>'));
    expect(html).toMatch(/^<html><head>\n {2}<meta http-equiv="Content-Security-Policy" content="script-src 'sha256-[^']+'; object-src 'none'/);
  });
});
