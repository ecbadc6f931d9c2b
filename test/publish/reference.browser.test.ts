import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { OpenAPI3 } from 'openapi-typescript';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { repoRoot } from '../../scripts/lib/paths.ts';
import { operationsOf } from '../../scripts/lib/spec-requests.ts';
import { launchChromium } from '../support/chromium.ts';
import { suiteBuild } from '../support/suite-build.ts';

/**
 * The published reference, opened from disk in real headless Chromium with the network blocked:
 * what a reader sees, and proof that the page needs nothing from the internet.
 */
const specFile = inject('specFile');
const document = JSON.parse(readFileSync(specFile, 'utf8')) as OpenAPI3;
const operations = operationsOf(document);
const screenshotFile = join(repoRoot, 'test-results', 'reference.png');

/** Requests the page may make beyond file: and data:, each answered locally, never sent. */
const allowedRequests = [{ url: 'https://cdn.redoc.ly/redoc/logo-mini-full.svg', why: "the 'API docs by Redocly' badge; answered with an empty SVG" }];

let browser: Browser;
let page: Page;
const blocked: string[] = [];
const answeredLocally: string[] = [];
const consoleErrors: string[] = [];

const summaryOf = (operationId: string) => (document.paths as any)[operations.find((o) => o.operationId === operationId)!.path][operations.find((o) => o.operationId === operationId)!.method].summary as string;

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
    if (url.startsWith('file:') || url.startsWith('data:')) return route.continue();
    if (allowedRequests.some((a) => a.url === url)) {
      answeredLocally.push(url);
      return route.fulfill({ contentType: 'image/svg+xml', body: '<svg xmlns="http://www.w3.org/2000/svg"/>' });
    }
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
    const menu = page.locator('[data-component-name="Menu/Menu"]');
    for (const tag of (document.tags ?? []).map((t) => t.name)) {
      const tagged = operations.filter((op) => ((document.paths as any)[op.path][op.method].tags as string[]).includes(tag));
      await menu.getByText(tag, { exact: true }).first().click();
      for (const op of tagged) {
        const item = menu.locator('[data-component-name="Menu/MenuItem"]').filter({ hasText: summaryOf(op.operationId) });
        await expect.poll(() => item.first().isVisible(), { message: `${op.operationId} in the menu under ${tag}` }).toBe(true);
        expect((await item.first().textContent())?.toLowerCase()).toContain(op.method);
      }
    }
  });

  it('finds an operation by name with its search', async () => {
    const target = operations.find((op) => op.operationId === 'getProviderRunLogs')!;
    await page.getByTestId('search-trigger').click();
    await page.keyboard.type(summaryOf(target.operationId));
    const results = page.getByTestId('search-dialog').locator('[data-component-name="Search/SearchItem"]');
    await expect.poll(() => results.first().textContent(), { message: 'the first search result' }).toContain(summaryOf(target.operationId));
    expect(await results.first().textContent()).toContain(target.path);
    await page.keyboard.press('Escape');
  });

  it('expands a nested schema to show its properties', async () => {
    const menu = page.locator('[data-component-name="Menu/Menu"]');
    await menu.getByText('Runs', { exact: true }).first().click();
    await menu.locator('[data-component-name="Menu/MenuItem"]').filter({ hasText: summaryOf('listRuns') }).first().click();
    // Redoc names each schema row after its operation's anchor: `runs/listruns/t=request&in=query&path=id`.
    await expect.poll(() => new URL(page.url()).hash, { message: 'the operation opened' }).not.toBe('');
    const section = decodeURIComponent(new URL(page.url()).hash.replace(/^#\/?/, ''));
    const closed = page.getByTestId('middle-panel').locator(`[id^="${section}/"] > [data-schema-nested-open="false"]`).first();
    await closed.scrollIntoViewIfNeeded();
    const schemaId = await closed.evaluate((element) => element.parentElement!.id);
    const children = page.locator(`[id^="${schemaId}/"]`);
    expect(await children.count(), 'children hidden before').toBe(0);
    await closed.locator('button').first().click();
    await expect.poll(() => children.first().isVisible(), { message: `properties of ${schemaId}` }).toBe(true);
  });

  it('logs no console error, and sends no request off the machine', () => {
    expect(consoleErrors).toEqual([]);
    expect(blocked, 'requests to the network').toEqual([]);
    expect([...new Set(answeredLocally)].every((url) => allowedRequests.some((a) => a.url === url))).toBe(true);
  });
});
