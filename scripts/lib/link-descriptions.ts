import type { OpenAPI3 } from 'openapi-typescript';
import { resolverFor } from './spec-requests.ts';

const methods = ['get', 'put', 'post', 'patch', 'delete'] as const;

/**
 * For the reference page: the bundle with each response's OpenAPI `links` also written into its description, as a list of
 * the operations to call next and the values they take (`session_template_provider_id` =
 * `$response.body#/id`), each linked to the operation in the reference. Redoc does not render Link
 * Objects (Redocly/redoc#572), so without this the reference would not show them. The links stay
 * as they are; the published bundle and the generated types do not carry these lines.
 */
export function withLinksDescribed(document: OpenAPI3): OpenAPI3 {
  const copy = structuredClone(document);
  const resolve = resolverFor(copy);
  for (const item of Object.values(copy.paths ?? {})) {
    for (const method of methods) {
      const operation = (item as Record<string, any>)[method];
      for (const response of Object.values<any>(operation?.responses ?? {})) {
        if (!response.links || response.$ref) continue;
        const lines = Object.values<any>(response.links).map((link) => {
          const { operationId, parameters = {}, description } = resolve<any>(link);
          const values = Object.entries<string>(parameters).map(([name, expression]) => `\`${name}\` = \`${expression}\``).join(', ');
          return `- [\`${operationId}\`](#operation/${operationId})${values ? ` with ${values}` : ''}${description ? `: ${description.trim()}` : ''}`;
        });
        response.description = `${response.description.trim()}\n\n**Links** (what to call next with this answer):\n\n${lines.join('\n')}`;
      }
    }
  }
  return copy;
}
