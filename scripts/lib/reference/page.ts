import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PipelineError } from '../run-tool.ts';

const here = join(import.meta.dirname);

/** A wordmark drawn locally, in place of the logo Redoc's "API docs by" badge loads from its CDN. */
const localLogo = (text: string, width: number) =>
  `data:image/svg+xml,${encodeURIComponent(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="16" viewBox="0 0 ${width} 16"><text x="0" y="12.5" font-family="sans-serif" font-size="13" font-weight="600" fill="#1a1c21">${text}</text></svg>`,
  )}`;

/**
 * What Redoc's bundle would fetch from the internet, and what the page uses instead. Redoc 3 draws
 * the badge at the foot of its sidebar with an `<img>` from cdn.redoc.ly, whatever its options say.
 */
const offMachineAssets = [
  { url: 'https://cdn.redoc.ly/redoc/logo-mini-full.svg', local: localLogo('Redocly', 58) },
  { url: 'https://cdn.redoc.ly/redoc/logo-mini.svg', local: localLogo('R', 10) },
];

/** Our stylesheet for the page: contrast, readable samples, the console (see page.css). */
export const pageStyles = () => readFileSync(join(here, 'page.css'), 'utf8');

/** Text safe inside an inline `<script>` or `<style>`: nothing in it can close the element. */
const inlineSafe = (text: string) => text.replace(/<\/(script|style)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');

/**
 * The page Redocly rendered, finished: assets it would load from a CDN replaced by local ones, our
 * styles added to its head, and scripts (the try-it console) added at the end of its body.
 * Throws a PipelineError when the page does not have the shape expected (another Redoc).
 */
export function finishPage(html: string, additions: { styles: string; scripts: string[]; data?: { id: string; value: unknown }[] }): string {
  let page = html;
  for (const { url, local } of offMachineAssets) page = page.split(url).join(local);
  if (!page.includes('</head>') || !page.includes('</body>')) throw new PipelineError('The rendered reference has no </head> or </body>: did the Redocly CLI change its template?');
  page = page.replace('</head>', () => `<style data-metorial-reference>\n${inlineSafe(additions.styles)}\n</style>\n</head>`);
  // JSON with every `<` escaped cannot end its element, whatever the spec's text says.
  const data = (additions.data ?? []).map(({ id, value }) => `<script type="application/json" id="${id}">${JSON.stringify(value).replace(/</g, '\\u003c')}</script>\n`);
  const scripts = additions.scripts.map((code) => `<script data-metorial-reference>\n${inlineSafe(code)}\n</script>\n`);
  return page.replace(/<\/body>(?![\s\S]*<\/body>)/, () => `${[...data, ...scripts].join('')}</body>`);
}
