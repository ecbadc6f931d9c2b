import { readFileSync, writeFileSync } from 'node:fs';
import { renderTypes } from '../../scripts/lib/types.ts';

/** Type generation alone, as the build does it: from a bundled document, in one process. */
const [bundle, output] = process.argv.slice(2);
if (!bundle || !output) throw new Error('Usage: render-types.ts <bundled spec JSON> <output .d.ts>');
writeFileSync(output, await renderTypes(JSON.parse(readFileSync(bundle, 'utf8'))));
