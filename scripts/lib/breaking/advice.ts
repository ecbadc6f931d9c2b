import type { Change } from './change.ts';

/*
 * What a change means for the API's users, and what they must do: one sentence per change, for the
 * changelog and the gate's report (Stripe's changelog says what to do, not only what moved).
 */

/** The field or parameter a location names, as a user writes it: `items[].status`, `limit`, `RateLimit-Limit`. */
export function subjectOf(location: string): string | undefined {
  const body = /\bbody (.+)$/.exec(location);
  if (body) return body[1]!.replace(/\[\] /g, '[].').replace(/ /g, '.');
  const named = /(?:parameter|header) (\S+)(?: (.+))?$/.exec(location);
  if (named) return named[2] ? `${named[1]}.${named[2].replace(/\[\] /g, '[].').replace(/ /g, '.')}` : named[1];
  return undefined;
}

const code = (text: string | undefined) => (text ? `\`${text}\`` : 'it');

/** What users of the API must do about `change` (or that they need do nothing). */
export function adviceFor(change: Change): string {
  const subject = code(subjectOf(change.location));
  const rule = change.rule;
  const byRule: Record<string, string> = {
    'operation-removed': 'Stop calling this operation.',
    'operation-removed-without-sunset': 'Stop calling this operation.',
    'operation-removed-before-sunset': 'Stop calling this operation now; its sunset date had not come.',
    'operation-removed-after-sunset': 'Its sunset date has passed; calls to it must already have stopped.',
    'operation-sunset-brought-forward': 'Stop calling this operation by its new, earlier sunset date.',
    'operation-sunset-postponed': 'Nothing to do: you have longer to move off this operation.',
    'operation-added': 'New: you can call it.',
    'operation-deprecated': 'Plan to stop calling it; it will be removed.',
    'operation-reactivated': 'Nothing to do: it is supported again.',
    'parameter-removed': `Stop sending ${subject}.`,
    'parameter-added': `New: you can send ${subject}.`,
    'parameter-added-required': `Send ${subject} on every call.`,
    'parameter-made-required': `Send ${subject} on every call.`,
    'parameter-made-optional': `Nothing to do: you may leave ${subject} out.`,
    'parameter-style-changed': `Update how your code writes ${subject} (clients generated from the new spec do).`,
    'parameter-explode-changed': `Update how your code writes ${subject} (clients generated from the new spec do).`,
    'parameter-serialization-changed': `Update how your code writes ${subject} (clients generated from the new spec do).`,
    'parameter-allow-reserved-removed': `Percent-encode reserved characters in ${subject}.`,
    'request-body-added-required': 'Send a request body.',
    'request-body-made-required': 'Send a request body.',
    'request-body-removed': 'Stop sending a request body.',
    'request-media-type-removed': 'Send one of the media types still accepted.',
    'response-media-type-removed': 'Accept one of the media types still sent.',
    'request-field-removed': `Stop sending ${subject}.`,
    'request-field-added-required': `Send ${subject} in the request.`,
    'request-field-made-required': `Send ${subject} in the request.`,
    'response-field-removed': `Stop reading ${subject}: it is no longer returned.`,
    'response-field-made-optional': `Handle ${subject} being absent.`,
    'response-field-made-nullable': `Handle ${subject} being null.`,
    'request-field-made-non-nullable': `Stop sending null for ${subject}.`,
    'response-header-removed': `Stop reading the ${subject} header.`,
    'response-header-made-optional': `Handle the ${subject} header being absent.`,
    'response-status-removed': 'Stop relying on this status.',
    'request-default-changed': `Send ${subject} explicitly if you relied on the old default.`,
    'parameter-default-added': `Send ${subject} explicitly if you relied on leaving it out.`,
    'parameter-default-removed': `Send ${subject} explicitly if you relied on its default.`,
    'request-variant-removed': `Send ${subject} in one of the shapes still accepted.`,
    'response-variant-added': `Handle the new shape ${subject} may have.`,
    'request-extensible-enum-narrowed': `Stop sending the removed value of ${subject}.`,
    'security-requirement-added': 'Authenticate these calls.',
    'security-alternative-removed': 'Authenticate another way this operation still accepts.',
    'security-scope-added': 'Use a credential with the new scope.',
    'security-scheme-removed': 'Authenticate another way the API still accepts.',
    'security-scheme-changed': 'Update how you authenticate.',
  };
  if (byRule[rule]) return byRule[rule]!;
  if (change.severity === 'non-breaking') return /-added$/.test(rule) ? 'New; nothing to do.' : 'Nothing to do.';
  // Schema keywords: a request that accepts less, or a response that may send more.
  if (rule.startsWith('request-')) return `Check the values you send in ${subject}: some that were accepted are now refused.`;
  if (rule.startsWith('response-')) return `Check that your code accepts every value ${subject} may now have.`;
  return 'Check your integration against the new description.';
}

/** The advice for a shared component's change, naming the field as the component has it (`server_version_id`, not `items[].server_version_id`). */
export function adviceInComponent(change: Change): string {
  return adviceFor(change.componentLocation ? { ...change, location: `body ${change.componentLocation}` } : change);
}
