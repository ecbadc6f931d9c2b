/**
 * Source text for values written into generated code, built from the data, never by substituting
 * text into a template: whatever a spec's example holds (quotes, backslashes, `*\/`, `${`, line
 * breaks, U+2028), the code evaluates to that value and runs nothing else.
 */

/**
 * A single-quoted string literal, the style of the samples and the README. Made from JSON's
 * escaping (valid in TypeScript and JavaScript since ES2019): each escape sequence is kept but `\"`,
 * which needs none between single quotes, and a single quote is escaped.
 */
export const tsString = (text: string): string =>
  `'${JSON.stringify(text)
    .slice(1, -1)
    .replace(/\\.|'/g, (token) => (token === '\\"' ? '"' : token === "'" ? "\\'" : token))}'`;

/** Property names written bare: identifier names (reserved words are fine as property names). */
const identifierName = /^[A-Za-z_$][\w$]*$/;

/**
 * A property key. `__proto__` is written computed (`["__proto__"]`): bare or quoted, it would set
 * the object's prototype instead of making a property (ECMAScript §13.2.5.1, __proto__ in object
 * initializers).
 */
function tsKey(key: string): string {
  if (key === '__proto__') return `[${tsString(key)}]`;
  return identifierName.test(key) ? key : tsString(key);
}

/**
 * A TypeScript (and JavaScript) expression that evaluates to `value`, a JSON value, laid out like
 * `JSON.stringify(value, null, 2)` with identifier keys bare. Throws on what JSON has no form for
 * (undefined inside arrays, functions, non-finite numbers), as a sample must not show a value the
 * API would not get.
 */
export function tsLiteral(value: unknown, indent = ''): string {
  if (typeof value === 'string') return tsString(value);
  if (value === null || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`${value} has no JSON form.`);
    return JSON.stringify(value);
  }
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((item) => `${inner}${tsLiteral(item, inner)}`).join(',\n')}\n${indent}]`;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, item]) => item !== undefined);
    if (entries.length === 0) return '{}';
    return `{\n${entries.map(([key, item]) => `${inner}${tsKey(key)}: ${tsLiteral(item, inner)}`).join(',\n')}\n${indent}}`;
  }
  throw new TypeError(`A ${typeof value} has no JSON form.`);
}

/**
 * A JavaScript identifier made from a name (`SessionTemplateProvider` → `sessionTemplateProvider`,
 * `run-log.item` → `runLogItem`), or `fallback` when nothing of it is usable or the result is a
 * reserved word, so a component's name can never break or inject into the code it names.
 */
export function identifierFrom(name: string, fallback: string): string {
  const words = name.split(/[^A-Za-z0-9_$]+/).filter(Boolean);
  const joined = words.map((word, index) => (index === 0 ? word.charAt(0).toLowerCase() + word.slice(1) : word.charAt(0).toUpperCase() + word.slice(1))).join('');
  if (!/^[A-Za-z_$][\w$]*$/.test(joined) || reservedWords.has(joined)) return fallback;
  return joined;
}

// ECMAScript reserved words, strict-mode and module reserved words, and TypeScript's.
const reservedWords = new Set(
  (
    'await break case catch class const continue debugger default delete do else enum export extends false finally for function if ' +
    'import in instanceof new null return super switch this throw true try typeof var void while with yield let static implements ' +
    'interface package private protected public arguments eval undefined NaN Infinity any boolean number string symbol type'
  ).split(' '),
);
