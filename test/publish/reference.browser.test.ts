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
import { suiteBuild } from '../support/suite-build.ts';

/**
 * The published reference, opened from disk in real headless Chromium with the network blocked:
 * what a reader sees, and proof that the page needs nothing from the internet. Every request the
 * page makes to anything but its own files fails the run; none is stubbed.
 */
const specFile = inject('specFile');
const document = JSON.parse(readFileSync(specFile, 'utf8')) as OpenAPI3;
const operations = operationsOf(document);
const screenshotFile = join(repoRoot, 'test-results', 'reference.png');
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let browser: Browser;
let page: Page;
const blocked: string[] = [];
const consoleErrors: string[] = [];

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
  const [{ dist }, launched] = await Promise.all([suiteBuild(), launchChromium()]);
  const html = join(dist, 'index.html');
  browser = launched;
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  page.on('console', (message) => message.type() === 'error' && consoleErrors.push(message.text()));
  page.on('pageerror', (error) => consoleErrors.push(error.message));
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (/^(file|data|blob):/.test(url)) return route.continue();
    blocked.push(url);
    return route.abort('blockedbyclient');
  });
  await page.goto(pathToFileURL(html).href);
  await page.getByTestId('middle-panel').first().waitFor();
  // It waits for the build, which a loaded machine may take minutes over.
}, 240_000);

afterAll(async () => {
  if (page) {
    mkdirSync(dirname(screenshotFile), { recursive: true });
    await page.screenshot({ path: screenshotFile, fullPage: false });
  }
  await browser?.close();
});

describe('the reference, opened from disk with the network blocked', () => {
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
    await page.keyboard.type(operationObject(target).summary);
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
        expect(normalize(await code.innerText()), `${op.operationId}: ${sample.label} shown whole`).toBe(normalize(sample.source));
        const overflow = await code.evaluate((element) => element.scrollWidth - element.clientWidth);
        expect(overflow, `${op.operationId}: ${sample.label} overflows its panel by ${overflow}px`).toBeLessThanOrEqual(1);
      }
    }
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
    expect(consoleErrors).toEqual([]);
    expect(blocked, 'requests to the network').toEqual([]);
  });
});

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** The text as a reader sees it: lines without trailing blanks, no blank lines at either end. */
const normalize = (text: string) => text.replace(/\u00a0/g, ' ').split('\n').map((line) => line.trimEnd()).join('\n').trim();
