// Spectral ruleset for `npm run lint` and for editors: the OWASP API Security Top 10 (2023) ruleset,
// every rule, over the split source (spec/openapi.yaml), beside Redocly (redocly.yaml). Lint must
// report zero errors and zero warnings.
//
// Waivers live next to what they are about, in spec/: where passing a rule would mean stating
// something about the Metorial API that no source publishes (a length, a header, a count), the node
// carries
//
//   x-lint-waivers:
//     owasp:api4:2023-string-limit: A response string: no length is published for it (DECISIONS W1).
//
// which waives that rule for that node and everything inside it, with the reason (spec/DECISIONS.md
// W1-W9 give the sources). Nothing is switched off for the whole document: a new place that breaks a
// rule fails lint until it is fixed or waived beside it. This file reads the waivers itself, so
// Spectral in an editor (which finds this file as CLI does: `.spectral.js` beside the document's
// workspace) reports what `npm run lint` reports. The published bundle has no waivers (the build
// drops them), so lint the source, not dist/.
import owasp from '@stoplight/spectral-owasp-ruleset';

const waiversKey = 'x-lint-waivers';

/** Whether the node carries a waiver, with a reason, of `rule`. */
function waives(node, rule) {
  const waivers = node !== null && typeof node === 'object' ? node[waiversKey] : undefined;
  return waivers !== null && typeof waivers === 'object' && typeof waivers[rule] === 'string' && waivers[rule].trim() !== '';
}

/** Whether a node on `path` through `document` (the root included) waives `rule`. */
function waivedOnPath(document, path, rule) {
  let node = document;
  if (waives(node, rule)) return true;
  for (const segment of path) {
    if (node === null || typeof node !== 'object') return false;
    node = node[segment];
    if (waives(node, rule)) return true;
  }
  return false;
}

/** The rule with each of its functions' results dropped where a waiver of the rule covers their place. */
function withWaivers(name, rule) {
  const wrap = (then) => {
    const original = then.function;
    function waivable(target, options, context) {
      const document = rule.resolved === false ? context.document.data : context.documentInventory.resolved;
      const keep = (results) => (results ?? []).filter((result) => !waivedOnPath(document, result.path ?? context.path, name));
      const results = original(target, options, context);
      return results && typeof results.then === 'function' ? results.then(keep) : keep(results);
    }
    return { ...then, function: waivable };
  };
  return { ...rule, then: Array.isArray(rule.then) ? rule.then.map(wrap) : wrap(rule.then) };
}

/** A waiver must name a rule of this ruleset and give its reason. */
function waiverIsReasoned(waivers, _options, context) {
  if (waivers === null || typeof waivers !== 'object' || Array.isArray(waivers)) {
    return [{ message: `${waiversKey} maps a rule name to the reason it is waived here.`, path: context.path }];
  }
  return Object.entries(waivers).flatMap(([rule, reason]) => [
    ...(rule in owasp.rules ? [] : [{ message: `No rule "${rule}" to waive: name an OWASP rule, such as owasp:api4:2023-string-limit.`, path: [...context.path, rule] }]),
    ...(typeof reason === 'string' && reason.trim() ? [] : [{ message: `The waiver of ${rule} needs its reason: why the rule cannot be met here, and the source.`, path: [...context.path, rule] }]),
  ]);
}

export default {
  formats: owasp.formats,
  aliases: owasp.aliases,
  rules: {
    ...Object.fromEntries(Object.entries(owasp.rules).map(([name, rule]) => [name, withWaivers(name, rule)])),
    'lint-waiver-reasoned': {
      description: 'Each x-lint-waivers entry names a rule of this ruleset and gives the reason it is waived there.',
      severity: 'error',
      message: '{{error}}',
      given: `$..[?(@property === '${waiversKey}')]`,
      then: { function: waiverIsReasoned },
    },
  },
};
