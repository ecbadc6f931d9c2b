import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { OpenAPI3 } from 'openapi-typescript';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { CodeSample } from '../../scripts/lib/code-samples.ts';
import { repoRoot } from '../../scripts/lib/paths.ts';
import { type Operation, operationsOf } from '../../scripts/lib/spec-requests.ts';
import { launchChromium } from '../support/chromium.ts';
import { Contract } from '../support/contract.ts';
import { suiteBuild } from '../support/suite-build.ts';

/**
 * The published reference, opened from disk in real headless Chromium with the network blocked:
 * what a reader sees, and proof that the page needs nothing from the internet. Every request the
 * page makes to anything but its own files fails the run; none is stubbed.
 */
const specFile = inject('specFile');
/** The server the console is pointed at, the sandbox (behind Prism's validating proxy) on loopback: the one place the page may send to. */
const apiUrl = inject('sandboxUrl');
const apiOrigin = new URL(apiUrl).origin;
/** The sandbox gives each key its own copy of its data: what this run creates and deletes, no other test sees. */
const apiKey = `metorial_sk_reference_${process.pid}_${Date.now()}`;
const document = JSON.parse(readFileSync(specFile, 'utf8')) as OpenAPI3;
const operations = operationsOf(document);
const screenshotFile = join(repoRoot, 'test-results', 'reference.png');
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let browser: Browser;
let page: Page;
const blocked: string[] = [];
const consoleErrors: { text: string; url: string }[] = [];
/** What the console sent to the API server, and what came back, as the browser saw both. */
const exchanges: { method: string; url: string; authorization: string | undefined; status: number; body: string }[] = [];
const contract = new Contract(specFile);

const operationObject = (op: Operation) => (document.paths as any)[op.path][op.method];
const samplesOf = (op: Operation): CodeSample[] => operationObject(op)['x-codeSamples'];
const menu = () => page.locator('[data-component-name="Menu/Menu"]');

/** Opens an operation from the sidebar, as a reader would: its tag's group, then its entry. Returns its section. */
async function openOperation(op: Operation): Promise<Locator> {
  const slug = op.operationId.toLowerCase();
  const item = menu().locator(`a[href$="/${slug}"]`).first();
  if (!(await item.isVisible())) await menu().getByText(operationObject(op).tags[0], { exact: true }).first().click();
  await item.click();
  const section = page.locator(`[id$="/${slug}"]`).first();
  await section.waitFor();
  await section.scrollIntoViewIfNeeded();
  return section;
}

beforeAll(async () => {
  // The reference as published: the suite's build's dist/index.html.
  const [{ dist }, launched] = await Promise.all([suiteBuild('first', 600_000), launchChromium()]);
  const html = join(dist, 'index.html');
  browser = launched;
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  page.on('console', (message) => message.type() === 'error' && consoleErrors.push({ text: message.text(), url: message.location().url }));
  page.on('pageerror', (error) => consoleErrors.push({ text: error.message, url: '' }));
  page.on('response', async (response) => {
    const request = response.request();
    if (new URL(request.url()).origin !== apiOrigin || request.method() === 'OPTIONS') return;
    const authorization = (await request.allHeaders()).authorization;
    exchanges.push({ method: request.method(), url: request.url(), authorization, status: response.status(), body: await response.text() });
  });
  await page.route('**/*', (route) => {
    const url = route.request().url();
    // The page's own file, its inlined data and blobs, and the API server on loopback that the reader chose.
    if (/^(file|data|blob):/.test(url) || new URL(url).origin === apiOrigin) return route.continue();
    blocked.push(url);
    return route.abort('blockedbyclient');
  });
  await page.goto(pathToFileURL(html).href);
  await page.getByTestId('middle-panel').first().waitFor();
  // It waits for the build, which a loaded machine may take many minutes over.
}, 660_000);

afterAll(async () => {
  if (page) {
    mkdirSync(dirname(screenshotFile), { recursive: true });
    await page.screenshot({ path: screenshotFile, fullPage: false });
  }
  await browser?.close();
});

// Timeouts catch hangs: each test drives the page through every operation, minutes on a loaded machine.
describe('the reference, opened from disk with the network blocked', { timeout: 300_000 }, () => {
  it('lists every operation under its tag, with its summary and method', async () => {
    for (const tag of (document.tags ?? []).map((t) => t.name)) {
      const tagged = operations.filter((op) => (operationObject(op).tags as string[]).includes(tag));
      await menu().getByText(tag, { exact: true }).first().click();
      for (const op of tagged) {
        const item = menu().locator(`a[href$="/${op.operationId.toLowerCase()}"]`);
        await expect.poll(() => item.first().isVisible(), { message: `${op.operationId} in the menu under ${tag}` }).toBe(true);
        const text = (await item.first().textContent())?.toLowerCase();
        expect(text).toContain(operationObject(op).summary.toLowerCase());
        expect(text).toContain(op.method);
      }
    }
  });

  it('shows the spec version and links to the changelog beside it', async () => {
    await page.locator('h1').first().waitFor();
    expect(await page.locator('h1').first().textContent()).toContain(document.info.version);
    const link = page.getByTestId('middle-panel').first().getByRole('link', { name: 'Changelog' });
    expect(await link.getAttribute('href')).toBe('changelog.html');
  });

  it('finds an operation by name with its search', async () => {
    const target = operations.find((op) => op.operationId === 'getProviderRunLogs')!;
    await page.getByTestId('search-trigger').click();
    // Typed into the dialog's field once it is there: keys pressed while the dialog opens would go elsewhere.
    await page.getByTestId('search-dialog').locator('input').first().fill(operationObject(target).summary);
    const results = page.getByTestId('search-dialog').locator('[data-component-name="Search/SearchItem"]');
    await expect.poll(() => results.first().textContent(), { message: 'the first search result' }).toContain(operationObject(target).summary);
    expect(await results.first().textContent()).toContain(target.path);
    await page.keyboard.press('Escape');
  });

  it('expands a nested schema to show its properties', async () => {
    const section = await openOperation(operations.find((op) => op.operationId === 'listRuns')!);
    const sectionId = await section.getAttribute('id');
    const closed = section.locator(`[id^="${sectionId}/"] > [data-schema-nested-open="false"]`).first();
    await closed.scrollIntoViewIfNeeded();
    const schemaId = await closed.evaluate((element) => element.parentElement!.id);
    const children = page.locator(`[id^="${schemaId}/"]`);
    expect(await children.count(), 'children hidden before').toBe(0);
    await closed.locator('button').first().click();
    await expect.poll(() => children.first().isVisible(), { message: `properties of ${schemaId}` }).toBe(true);
  });

  it("shows every operation's samples in each language, whole and without overflowing their panel", async () => {
    for (const op of operations) {
      const section = await openOperation(op);
      const samplesPanel = section.getByTestId('right-panel').filter({ has: page.getByTestId('source-code') }).first();
      for (const sample of samplesOf(op)) {
        const picker = samplesPanel.getByTestId('dropdown').filter({ hasText: new RegExp(samplesOf(op).map((s) => escapeRegExp(s.label)).join('|')) }).first();
        await picker.getByRole('button').first().click();
        await page.getByRole('menuitem', { name: sample.label, exact: true }).click();
        await expect.poll(() => picker.getByRole('button').first().textContent(), { message: `${op.operationId}: ${sample.label} picked` }).toBe(sample.label);
        const code = samplesPanel.getByTestId('source-code').first();
        expect(await code.isVisible(), `${op.operationId}: ${sample.label} visible`).toBe(true);
        // The picker's label changes a render before the code under it does: wait for the code, as a reader would.
        await expect.poll(async () => normalize(await code.innerText()), { message: `${op.operationId}: ${sample.label} shown whole` }).toBe(normalize(sample.source));
        const overflow = await code.evaluate((element) => element.scrollWidth - element.clientWidth);
        expect(overflow, `${op.operationId}: ${sample.label} overflows its panel by ${overflow}px`).toBeLessThanOrEqual(1);
      }
    }
  });

  it('sends one request of each operation from its try-it console, with the example prefilled, and shows the answer the server gave', async () => {
    for (const [index, op] of operations.entries()) {
      const section = await openOperation(op);
      const tryIt = section.getByTestId('try-it');
      await tryIt.scrollIntoViewIfNeeded();
      if (index === 0) {
        // Chosen once: the tab keeps both for every other operation.
        await tryIt.getByLabel('Server URL').fill(apiUrl);
        await tryIt.getByLabel('API key').fill(apiKey);
      } else {
        expect(await tryIt.getByLabel('Server URL').inputValue(), 'the server chosen before').toBe(apiUrl);
        expect(await tryIt.getByLabel('API key').inputValue(), 'the key given before').toBe(apiKey);
      }
      for (const p of op.parameters.filter((p) => p.in === 'path')) {
        expect(await tryIt.getByLabel(p.name, { exact: false }).first().inputValue(), `${op.operationId}: ${p.name} prefilled`).toBe(String(p.example));
      }
      if (op.body) {
        const body = JSON.parse(await tryIt.getByRole('textbox', { name: /^Body/ }).inputValue());
        expect(body, `${op.operationId}: the body prefilled with its first example`).toEqual(Object.values(op.body.examples)[0]);
      }
      const sent = exchanges.length;
      await tryIt.getByRole('button', { name: `Send ${op.method.toUpperCase()} ${op.path}` }).click();
      await expect.poll(() => exchanges.length, { message: `${op.operationId}: a request reached ${apiUrl}`, timeout: 30_000 }).toBeGreaterThan(sent);
      const exchange = exchanges.at(-1)!;
      expect(exchange.method.toLowerCase()).toBe(op.method);
      expect(exchange.authorization).toBe(`Bearer ${apiKey}`);
      const status = tryIt.locator('.mtl-status');
      await expect.poll(() => status.getAttribute('data-status'), { message: `${op.operationId}: the status shown` }).toBe(String(exchange.status));
      expect(exchange.status, `${op.operationId}: ${exchange.body}`).toBe(200);
      const shown = JSON.parse(await tryIt.locator('.mtl-response-body').innerText());
      expect(shown, `${op.operationId}: the body shown is the body received`).toEqual(JSON.parse(exchange.body));
      expect(contract.problems(contract.responseValidator(op.operationId, 200), shown)).toEqual([]);
    }
    // The key lives in this tab's sessionStorage only: no cookie, nothing in localStorage.
    expect(await page.evaluate(() => ({ cookie: window.document.cookie, local: localStorage.length }))).toEqual({ cookie: '', local: 0 });
  });

  it("shows the API's validation error for a request that breaks the spec", async () => {
    const op = operations.find((o) => o.operationId === 'createRun')!;
    const tryIt = (await openOperation(op)).getByTestId('try-it');
    await tryIt.getByRole('textbox', { name: /^Body/ }).fill('{"agent_id": 5}');
    const sent = exchanges.length;
    await tryIt.getByRole('button', { name: /^Send/ }).click();
    await expect.poll(() => tryIt.locator('.mtl-status').getAttribute('data-status')).toMatch(/^4\d\d$/);
    // The page can show the status before the 'response' listener has read the body and recorded the exchange.
    await expect.poll(() => exchanges.length, { message: 'the request reached the sandbox', timeout: 30_000 }).toBeGreaterThan(sent);
    const exchange = exchanges.at(-1)!;
    expect(await tryIt.locator('.mtl-status').getAttribute('data-status')).toBe(String(exchange.status));
    // The API's error body (code and message), or the validating proxy's RFC 9457 problem (title, detail).
    const answer = JSON.parse(exchange.body) as { code?: string; message?: string; title?: string; detail?: string };
    const summary = await tryIt.locator('.mtl-error').first().innerText();
    for (const said of [answer.code, answer.message, answer.title, answer.detail].filter(Boolean)) expect(summary).toContain(said);
    expect(answer.message ?? answer.title, 'the answer says what is wrong').toBeTruthy();
  });

  it('has no serious or critical accessibility violation (axe-core) on the operations it rendered', async () => {
    await page.evaluate(axeSource);
    const violations = await page.evaluate(async () => {
      const result = await (window as any).axe.run(document, { resultTypes: ['violations'] });
      return (result.violations as any[])
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${v.id} (${v.impact}, ${v.nodes.length} nodes): ${v.help}; first: ${v.nodes[0].target.join(' ')} ${v.nodes[0].failureSummary}`);
    });
    expect(violations).toEqual([]);
  });

  it('logs no console error, and sends no request off the machine', () => {
    // Chromium logs every 4xx a script fetched; the one expected is the invalid request sent above.
    const expected = (e: { text: string; url: string }) => /status of 4\d\d/.test(e.text) && e.url.startsWith(`${apiOrigin}/runs`);
    expect(consoleErrors.filter((e) => !expected(e))).toEqual([]);
    expect(blocked, 'requests to the network').toEqual([]);
    expect(exchanges.every((e) => e.url.startsWith(apiOrigin))).toBe(true);
  });
});

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** The text as a reader sees it: lines without trailing blanks, no blank lines at either end. */
const normalize = (text: string) => text.replace(/\u00a0/g, ' ').split('\n').map((line) => line.trimEnd()).join('\n').trim();
