import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A JSON value found in one of the reference pages. */
export interface PageExample {
  page: string;
  index: number;
  value: unknown;
}

/**
 * Finds every top-level JSON object in a scraped reference page. The pages are plain text with
 * JSON response examples and `curl -d '{...}'` request bodies mixed in, so this scans for balanced
 * braces outside of string literals and keeps what parses.
 */
export function extractJsonObjects(text: string): unknown[] {
  const found: unknown[] = [];
  let start = -1;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"' && depth > 0) inString = true;
    else if (ch === '{') {
      if (depth === 0) start = i;
      depth++;
    } else if (ch === '}' && depth > 0) {
      depth--;
      if (depth === 0) {
        try {
          found.push(JSON.parse(text.slice(start, i + 1)));
        } catch {
          // Not JSON (prose with braces): not an example.
        }
      }
    }
  }
  return found;
}

export function readPageExamples(seedsDir: string): PageExample[] {
  if (!existsSync(seedsDir)) {
    throw new Error(
      `The reference pages are not at ${seedsDir}. Clone this repository beside ../shared, ` +
        'or set METORIAL_SEEDS_DIR to the folder that holds the pages.',
    );
  }
  const pages = readdirSync(seedsDir).filter((name) => name.endsWith('.txt')).sort();
  return pages.flatMap((page) =>
    extractJsonObjects(readFileSync(join(seedsDir, page), 'utf8')).map((value, index) => ({ page, index, value })),
  );
}
