import type { Operation, RequestValues } from '../spec-requests.ts';
import { type Creation, evaluateExpression, isUndoable, type LinkedCall } from './links.ts';

/** An object a run created, and whether (and how) it was removed again. */
export interface CreatedObject {
  id: string;
  /** The create's operationId, such as `createSessionTemplateProvider`. */
  createdBy: string;
  /** `POST /session-template-providers`. */
  request: string;
  /** False for a create whose response links no DELETE (a run): it stays on the server. */
  undoable: boolean;
  removed: boolean;
  /** The DELETE that removed it, or the last attempt: its operationId, status or failure, and when. */
  removal?: { operationId: string; status?: number; failure?: string; during: 'checks' | 'cleanup' };
}

/** A write the ledger refused to send: it would touch an object this run did not create. */
export class WriteRefusedError extends Error {}

interface Entry extends CreatedObject {
  /** The path parameter values its links bind (`session_template_provider_id` → its id). */
  pathValues: Record<string, string>;
  remove?: { call: LinkedCall; values: RequestValues };
}

/**
 * The objects one run created on a server, and the guard every write of that run passes: a write
 * is sent only to an object in this ledger, and a create only when it can be undone (its response
 * links a DELETE) or its operationId was allowed by name. `removeAll` undoes what is left.
 */
export class Ledger {
  private readonly entries: Entry[] = [];

  /** `allowIrreversible`: operationIds of creates that cannot be undone and may still be sent. */
  constructor(
    private readonly creations: Creation[],
    private readonly allowIrreversible: readonly string[] = [],
  ) {}

  /** Throws WriteRefusedError unless this write may be sent (see the class). Reads always may. */
  assertMayWrite(operation: Operation, values: RequestValues): void {
    if (operation.method === 'get') return;
    const creation = this.creations.find((c) => c.create.operationId === operation.operationId);
    if (creation) {
      if (isUndoable(creation) || this.allowIrreversible.includes(operation.operationId)) return;
      throw new WriteRefusedError(`${operation.operationId} creates what no DELETE can undo; it is sent only when allowed by name.`);
    }
    const names = operation.parameters.filter((p) => p.in === 'path').map((p) => p.name);
    const owner = this.entries.find((e) => names.length > 0 && names.every((n) => e.pathValues[n] !== undefined && e.pathValues[n] === values.path[n]));
    if (!owner) {
      const target = names.map((n) => `${n}=${values.path[n]}`).join(', ') || 'no id';
      throw new WriteRefusedError(`${operation.method.toUpperCase()} ${operation.path} (${target}) would touch an object this run did not create; it was not sent.`);
    }
  }

  /** Records what a create made, from the ids its links bind; returns the object's id, or undefined when the answer names none. */
  record(creation: Creation, exchange: { requestBody?: unknown; requestPath?: Record<string, string>; responseBody: unknown }): string | undefined {
    const pathValues: Record<string, string> = {};
    for (const link of creation.links) {
      for (const [name, expression] of Object.entries(link.parameters)) {
        const value = evaluateExpression(expression, exchange);
        if (typeof value === 'string' && value !== '') pathValues[name] = value;
      }
    }
    const id = (exchange.responseBody as { id?: unknown } | undefined)?.id;
    if (typeof id !== 'string' || Object.keys(pathValues).length === 0) return undefined;
    const entry: Entry = {
      id,
      createdBy: creation.create.operationId,
      request: `POST ${creation.create.path}`,
      undoable: isUndoable(creation),
      removed: false,
      pathValues,
    };
    this.entries.push(entry);
    const removeValues = creation.remove && this.valuesFor(creation.remove, id);
    if (creation.remove && removeValues) entry.remove = { call: creation.remove, values: removeValues };
    return id;
  }

  /** The path values to call `call` on created object `id`, or undefined when the ledger does not hold it. */
  valuesFor(call: LinkedCall, id: string): RequestValues | undefined {
    const entry = this.entries.find((e) => e.id === id);
    if (!entry) return undefined;
    const path: Record<string, string> = {};
    for (const name of Object.keys(call.parameters)) {
      const value = entry.pathValues[name];
      if (value === undefined) return undefined;
      path[name] = value;
    }
    return { path, query: {} };
  }

  owns(id: string): boolean {
    return this.entries.some((e) => e.id === id);
  }

  /**
   * Notes an attempt to remove object `id`: a 2xx removed it, and so did a 404 (it is not on the
   * server, whoever removed it); any other status or a failure leaves it pending.
   */
  noteRemoval(id: string, removal: NonNullable<CreatedObject['removal']>): void {
    const entry = this.entries.find((e) => e.id === id);
    if (!entry) return;
    entry.removal = removal;
    const status = removal.status ?? 0;
    if ((status >= 200 && status < 300) || status === 404) entry.removed = true;
  }

  /** What the run created, in order, for the report. */
  objects(): CreatedObject[] {
    return this.entries.map(({ pathValues: _, remove: __, ...object }) => ({ ...object }));
  }

  /** Objects still on the server that this run can remove. */
  pending(): { id: string; operation: Operation; values: RequestValues }[] {
    return this.entries.filter((e) => !e.removed && e.remove).map((e) => ({ id: e.id, operation: e.remove!.call.operation, values: e.remove!.values }));
  }

  /**
   * Removes every object still pending with `send` (straight to the server: a proxy in between may
   * be gone when a run is interrupted), each once; failures are noted, never thrown.
   */
  async removeAll(send: (operation: Operation, values: RequestValues) => Promise<Response>): Promise<void> {
    await Promise.all(
      this.pending().map(async ({ id, operation, values }) => {
        try {
          const response = await send(operation, values);
          await response.body?.cancel();
          this.noteRemoval(id, { operationId: operation.operationId, status: response.status, during: 'cleanup' });
        } catch (error) {
          this.noteRemoval(id, { operationId: operation.operationId, failure: (error as Error).message, during: 'cleanup' });
        }
      }),
    );
  }
}
