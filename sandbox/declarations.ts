import type { Json, JsonObject } from './model.ts';

/**
 * What the spec cannot say about a resource, by schema name. Everything else the sandbox reads from
 * the spec; each entry here has its source in spec/DECISIONS.md (SB rows).
 */
export interface ResourceDeclaration {
  /** The id prefix, when no example id shows one (`srun_` for server runs: their examples say `example_id`). */
  idPrefix?: string;
  /**
   * The statuses a created object moves through: each phase starts `afterMs` after creation (scaled
   * by the sandbox's `lifecycleMs`/1000) and sets the named timestamps to when it started. A nullable
   * timestamp is `null` until its phase; one the schema requires gets the time its phase is due.
   */
  lifecycle?: { status: string; afterMs: number; sets: string[] }[];
  /** Request fields that are not fields of the object: how each changes the object. */
  requestFields?: Record<string, (value: Json, object: JsonObject) => void>;
}

export const declarations: Record<string, ResourceDeclaration> = {
  // SB2: the server run examples are placeholders (`example_id`); the README's own example uses `srun_`.
  ServerRun: { idPrefix: 'srun_' },
  // SB3: `tool_filters` in requests, `tool_filter` in objects (facts: Tool filters; DECISIONS S5, S7). The
  // page's `{tool_keys}` answers in the page's shape (`v1.filter` with one `tool_keys` filter); the newer
  // forms (one filter, an array of them, `null`) answer in the newer shape, with `ignore_parent_filters`.
  SessionTemplateProvider: {
    requestFields: {
      tool_filters: (value, object) => {
        if (value === null) {
          object.tool_filter = { type: 'allow_all', ignore_parent_filters: false };
        } else if (Array.isArray(value) || (typeof value === 'object' && 'type' in value)) {
          object.tool_filter = { type: 'filter', filters: [value].flat(), ignore_parent_filters: false };
        } else {
          const keys = (value as { tool_keys?: string[] }).tool_keys ?? [];
          object.tool_filter = { type: 'v1.filter', filters: keys.length ? [{ type: 'tool_keys', keys }] : [] };
        }
      },
    },
  },
  // SB4: a run is `running` when created and `success` when done, the only published value (page 001).
  Run: {
    lifecycle: [
      { status: 'running', afterMs: 0, sets: ['started_at'] },
      { status: 'success', afterMs: 1_000, sets: ['completed_at'] },
    ],
    requestFields: {
      content: (value, object) => {
        const text = typeof value === 'string' ? value : ((value as { parts?: { text?: string }[] }).parts ?? []).map((p) => p.text ?? '').join('\n');
        const group = object.message_group as JsonObject | undefined;
        const first = (group?.messages as JsonObject[] | undefined)?.[0];
        const content = first?.content as JsonObject | undefined;
        const parts = content?.parts as JsonObject[] | undefined;
        if (parts?.[0]) {
          parts[0].text = text;
          parts.length = 1;
        }
        if (content && Array.isArray(content.attachments) && typeof value === 'string') content.attachments = [];
      },
    },
  },
};
