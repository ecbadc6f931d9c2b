import { createHash } from 'node:crypto';
import { PipelineError } from './run-tool.ts';

/**
 * The reference page runs only the scripts the build put there. Redoc renders the spec's Markdown
 * with its HTML, and Redocly's `no-unsafe-markdown` rule looks for `<script`, `on…=` and
 * `javascript:` only: `<iframe srcdoc="&lt;script&gt;…">` passed lint and ran (redoc #2257), and
 * Redoc's own `sanitize` option fails in build-docs here ("linkedom is not available"). A Content
 * Security Policy does not depend on how the text is encoded: the page allows exactly the inline
 * scripts of the rendered file, by their SHA-256 (CSP3 §8.4 hash-source), and no other script,
 * event handler, `javascript:` URL, plugin, frame, `<base>` or form target. A frame made by
 * `srcdoc` inherits the policy, so its scripts are blocked too.
 */

/**
 * The one script Redoc's prerendered markup holds (it sets the colour mode before the page paints),
 * as Redocly 2.77 writes it. Any other script in the prerendered markup came from the spec's text.
 */
const redocColorModeScript =
  'try{var m=localStorage.getItem("redoc.colorMode");if(m!=="light"&&m!=="dark")m=matchMedia("(prefers-color-scheme: dark)").matches?"dark":"light";document.documentElement.classList.add(m)}catch(e){}';

interface InlineScript {
  attributes: string;
  body: string;
  start: number;
}

/** The page's script elements, as the HTML tokenizer reads them: each ends at the first `</script`, and no `<script` inside one starts another. */
function scriptsOf(html: string): InlineScript[] {
  const scripts: InlineScript[] = [];
  const opening = /<script\b([^>]*)>/gi;
  for (let match = opening.exec(html); match; match = opening.exec(html)) {
    const bodyStart = match.index + match[0].length;
    const end = html.slice(bodyStart).search(/<\/script/i);
    if (end === -1) throw new PipelineError('The rendered reference has a <script> that never ends: Redocly\'s output changed shape.');
    scripts.push({ attributes: match[1] ?? '', body: html.slice(bodyStart, bodyStart + end), start: match.index });
    opening.lastIndex = bodyStart + end;
  }
  return scripts;
}

/** The policy for a page whose inline scripts have these hashes (`sha256-…`). */
export function referencePolicy(scriptHashes: string[]): string {
  return [
    `script-src ${scriptHashes.map((hash) => `'${hash}'`).join(' ')}`,
    "object-src 'none'",
    "frame-src 'none'",
    "child-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

/**
 * The rendered reference with a CSP `<meta>` as the first element of its `<head>`, allowing the
 * page's own inline scripts and nothing else (see the module comment). Throws when the page has a
 * script the build cannot vouch for: one loaded from elsewhere (`src=`), which the policy would
 * block; one in the markup rendered from the spec (other than Redoc's colour-mode script), which
 * the spec's text put there; or markup the check cannot read.
 */
export function withContentSecurityPolicy(html: string): string {
  // Redoc's prerendered markup (the spec rendered to HTML) lies between its container and the template's own scripts.
  const content = html.indexOf('<div id="redoc">');
  const hashes: string[] = [];
  const scripts = scriptsOf(html);
  const contentEnd = scripts.find((script) => script.start > content && /type="module"/.test(script.attributes))?.start ?? html.length;
  for (const { attributes, body, start } of scripts) {
    if (/\bsrc\s*=/i.test(attributes)) {
      throw new PipelineError('The rendered reference loads a script from elsewhere (<script src>): render it with --inlineBundle, so the page is self-contained.');
    }
    if (content !== -1 && start > content && start < contentEnd && body !== redocColorModeScript) {
      throw new PipelineError(
        'The rendered reference holds a <script> in the text rendered from the spec: a description or summary carries a script. ' +
          'Remove it from the spec (the reference runs no script that the spec carries).',
      );
    }
    hashes.push(`sha256-${createHash('sha256').update(body, 'utf8').digest('base64')}`);
  }
  const head = /<head\b[^>]*>/i.exec(html);
  if (!head) throw new PipelineError('The rendered reference has no <head> to put its Content-Security-Policy in.');
  const meta = `\n  <meta http-equiv="Content-Security-Policy" content="${referencePolicy(hashes)}">`;
  const at = head.index + head[0].length;
  return `${html.slice(0, at)}${meta}${html.slice(at)}`;
}
