/**
 * The try-it console of the reference page, run in the reader's browser. It reads the operations
 * from the JSON the build embedded (console-data.ts), and adds a "Try it" panel under the samples of
 * every operation Redoc renders (Redoc renders sections as the reader scrolls, and may render them
 * again, so a MutationObserver keeps each panel in place). Nothing is sent until the reader presses
 * Send, and then only to the server they chose.
 */
import { type ConsoleData, consoleDataElementId, type ConsoleOperation, type ConsoleParameter } from './model.ts';
import { ConsoleInputError, type FormValues, prepareRequest } from './request.ts';

const storageKeys = { apiKey: 'metorial-reference:api-key', server: 'metorial-reference:server' };

/** sessionStorage: the tab's own, gone when it closes; never localStorage, never a cookie. */
const session = {
  get: (key: string) => {
    try {
      return sessionStorage.getItem(key) ?? '';
    } catch {
      return '';
    }
  },
  set: (key: string, value: string) => {
    try {
      if (value) sessionStorage.setItem(key, value);
      else sessionStorage.removeItem(key);
    } catch {
      // Storage refused (a private mode): the value lives as long as the field.
    }
  },
};

/** The server and key are one choice for the tab: typed in one console, they show in every other. */
function shareValue(kind: 'server' | 'api-key', value: string, from: HTMLInputElement): void {
  for (const input of document.querySelectorAll<HTMLInputElement>(`.mtl-console input[data-shared="${kind}"]`)) {
    if (input === from || input.value === value) continue;
    input.value = value;
    input.dispatchEvent(new Event('shared-change'));
  }
}

type Attributes = Record<string, string | boolean | undefined>;

function h<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Attributes = {}, ...children: (Node | string | undefined)[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === true) element.setAttribute(name, '');
    else if (typeof value === 'string') element.setAttribute(name, value);
  }
  for (const child of children) if (child !== undefined) element.append(child);
  return element;
}

/** What the reader typed per operation, kept while the page is open, so a panel Redoc re-renders keeps its values. */
const typed = new Map<string, FormValues>();

let idCounter = 0;
const uniqueId = (base: string) => `mtl-${base}-${++idCounter}`;

function parameterFields(operation: ConsoleOperation, parameter: ConsoleParameter, values: FormValues): HTMLElement[] {
  const { kind } = parameter;
  const names = kind.type === 'object' ? kind.keys.map((key) => `${parameter.name}[${key}]`) : [parameter.name];
  return names.map((name) => {
    const id = uniqueId(`${operation.operationId}-${name.replace(/\W/g, '_')}`);
    const hintId = `${id}-hint`;
    const prefilled = parameter.required ? (parameter.example ?? '') : '';
    values.fields[name] ??= prefilled;
    const common: Attributes = { id, name, 'aria-describedby': parameter.description ? hintId : undefined, required: parameter.required };
    let field: HTMLInputElement | HTMLSelectElement;
    if (kind.type === 'choice') {
      field = h('select', common, h('option', { value: '' }, parameter.required ? 'Choose…' : '(not sent)'), ...kind.values.map((v) => h('option', { value: v }, v)));
    } else {
      field = h('input', {
        ...common,
        type: kind.type === 'number' ? 'number' : 'text',
        step: kind.type === 'number' && kind.integer ? '1' : undefined,
        min: kind.type === 'number' && kind.minimum !== undefined ? String(kind.minimum) : undefined,
        max: kind.type === 'number' && kind.maximum !== undefined ? String(kind.maximum) : undefined,
        placeholder: parameter.example !== undefined && kind.type !== 'object' ? `e.g. ${parameter.example}` : undefined,
        autocomplete: 'off',
        spellcheck: 'false',
      });
    }
    field.value = values.fields[name] ?? '';
    field.addEventListener('input', () => (values.fields[name] = field.value));
    const label = h('label', { for: id }, h('code', {}, name), parameter.required ? ' (required)' : '', kind.type === 'list' ? ' — one or more, comma-separated' : '');
    const hint = parameter.description ? h('span', { id: hintId, class: 'mtl-hint' }, firstSentence(parameter.description)) : undefined;
    return h('div', { class: 'mtl-field' }, label, field, hint);
  });
}

const firstSentence = (text: string) => text.replace(/`/g, '').split(/(?<=\.)\s/)[0] ?? '';

function group(legend: string, fields: HTMLElement[]): HTMLElement | undefined {
  return fields.length ? h('fieldset', {}, h('legend', {}, legend), ...fields) : undefined;
}

function serverChooser(data: ConsoleData): { element: HTMLElement; value: () => string } {
  const selectId = uniqueId('server');
  const inputId = uniqueId('server-url');
  const current = session.get(storageKeys.server) || data.servers[0]!.url;
  const select = h(
    'select',
    { id: selectId },
    ...data.servers.map((s) => h('option', { value: s.url }, `${s.description} (${s.url})`)),
    h('option', { value: '' }, 'Another server…'),
  );
  const input = h('input', { id: inputId, type: 'url', autocomplete: 'off', spellcheck: 'false', required: true, 'data-shared': 'server' });
  input.value = current;
  const showChoice = () => (select.value = data.servers.some((s) => s.url === input.value.trim()) ? input.value.trim() : '');
  showChoice();
  select.addEventListener('change', () => {
    if (select.value) input.value = select.value;
    session.set(storageKeys.server, input.value);
    shareValue('server', input.value, input);
    if (!select.value) input.focus();
  });
  input.addEventListener('input', () => {
    showChoice();
    session.set(storageKeys.server, input.value.trim());
    shareValue('server', input.value, input);
  });
  input.addEventListener('shared-change', showChoice);
  const element = h(
    'div',
    { class: 'mtl-server' },
    h('div', { class: 'mtl-field' }, h('label', { for: selectId }, 'Server'), select),
    h('div', { class: 'mtl-field' }, h('label', { for: inputId }, 'Server URL'), input),
  );
  return { element, value: () => input.value };
}

function keyField(): { element: HTMLElement; value: () => string } {
  const id = uniqueId('api-key');
  const input = h('input', { id, type: 'password', autocomplete: 'off', spellcheck: 'false', placeholder: 'metorial_sk_…', 'aria-describedby': `${id}-hint`, 'data-shared': 'api-key' });
  input.value = session.get(storageKeys.apiKey);
  input.addEventListener('input', () => {
    session.set(storageKeys.apiKey, input.value.trim());
    shareValue('api-key', input.value, input);
  });
  const element = h(
    'div',
    { class: 'mtl-field' },
    h('label', { for: id }, 'API key'),
    input,
    h('span', { id: `${id}-hint`, class: 'mtl-hint' }, 'Kept for this tab only (sessionStorage) and sent only to the server above, as a bearer token.'),
  );
  return { element, value: () => input.value };
}

function bodyEditor(operation: ConsoleOperation, values: FormValues): HTMLElement | undefined {
  const body = operation.body;
  if (!body) return undefined;
  const id = uniqueId(`${operation.operationId}-body`);
  const pretty = (value: unknown) => JSON.stringify(value, null, 2);
  values.body ||= pretty(body.examples[0]!.value);
  const textarea = h('textarea', { id, rows: '10', spellcheck: 'false', autocomplete: 'off' });
  textarea.value = values.body;
  textarea.addEventListener('input', () => (values.body = textarea.value));
  const parts: HTMLElement[] = [h('label', { for: id }, `Body (application/json)${body.required ? ', required' : ''}`)];
  if (body.examples.length > 1) {
    const pickerId = uniqueId(`${operation.operationId}-example`);
    const picker = h('select', { id: pickerId }, ...body.examples.map((e, i) => h('option', { value: String(i) }, e.summary)));
    picker.addEventListener('change', () => {
      textarea.value = values.body = pretty(body.examples[Number(picker.value)]!.value);
    });
    parts.unshift(h('div', { class: 'mtl-field' }, h('label', { for: pickerId }, 'Start from the example'), picker));
  }
  return h('div', { class: 'mtl-field mtl-body' }, ...parts, textarea);
}

/**
 * What went wrong, in the answer's own words: the API's error body (`code`, `message`, `hint`, the
 * fields in `errors`), or an RFC 9457 problem (`title`, `detail`, `validation`), as Prism's proxy answers.
 */
function errorSummary(body: unknown): HTMLElement[] {
  if (!body || typeof body !== 'object') return [];
  const error = body as { code?: string; message?: string; hint?: string; errors?: { path?: unknown[]; message?: string }[] };
  const problem = body as { title?: string; detail?: string; validation?: { location?: unknown[]; message?: string }[] };
  const lines: HTMLElement[] = [];
  if (error.message) lines.push(h('p', { class: 'mtl-error' }, h('strong', {}, error.code ?? 'error'), `: ${error.message}`));
  else if (problem.title) lines.push(h('p', { class: 'mtl-error' }, h('strong', {}, problem.title), problem.detail ? `: ${problem.detail}` : ''));
  if (error.hint) lines.push(h('p', {}, `Hint: ${error.hint}`));
  const fields = [
    ...(Array.isArray(error.errors) ? error.errors.map((e) => [e.path, e.message] as const) : []),
    ...(Array.isArray(problem.validation) ? problem.validation.map((v) => [v.location, v.message] as const) : []),
  ];
  if (fields.length) lines.push(h('ul', {}, ...fields.map(([place, message]) => h('li', {}, `${(Array.isArray(place) ? place : []).join('.') || 'request'}: ${message ?? ''}`))));
  return lines;
}

/** The answer, as the reader needs it: status, time, headers, the body (pretty JSON), and an error's code, message, hint and fields. */
function showResponse(output: HTMLElement, response: Response, text: string, milliseconds: number): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const headers = [...response.headers.entries()];
  const summary = response.ok ? [] : errorSummary(parsed);
  const violations = response.headers.get('sl-violations');
  if (violations) summary.push(h('p', {}, `Validation (the mock's sl-violations): ${violations}`));
  output.replaceChildren(
    h('h4', {}, 'Response'),
    h('p', { class: `mtl-status ${response.ok ? 'mtl-ok' : 'mtl-failed'}`, 'data-status': String(response.status) }, `${response.status} ${response.statusText}`.trim(), ` · ${Math.round(milliseconds)} ms`),
    ...summary,
    h('details', {}, h('summary', {}, `Headers (${headers.length})`), h('pre', { class: 'mtl-headers', tabindex: '0' }, headers.map(([k, v]) => `${k}: ${v}`).join('\n'))),
    h('pre', { class: 'mtl-response-body', tabindex: '0', 'aria-label': 'Response body' }, parsed === undefined ? text : JSON.stringify(parsed, null, 2)),
  );
}

function consolePanel(data: ConsoleData, operation: ConsoleOperation): HTMLElement {
  const values = typed.get(operation.operationId) ?? { fields: {}, body: '' };
  typed.set(operation.operationId, values);
  const titleId = uniqueId(`${operation.operationId}-title`);
  const server = serverChooser(data);
  const key = keyField();
  const byPlace = (place: ConsoleParameter['in']) => operation.parameters.filter((p) => p.in === place).flatMap((p) => parameterFields(operation, p, values));
  const output = h('div', { class: 'mtl-output', role: 'status', 'aria-live': 'polite' });
  const send = h('button', { type: 'submit', class: 'mtl-send' }, `Send ${operation.method.toUpperCase()} ${operation.path}`);
  const form = h(
    'form',
    { novalidate: true },
    server.element,
    key.element,
    group('Path', byPlace('path')),
    group('Query', byPlace('query')),
    group('Headers', byPlace('header')),
    bodyEditor(operation, values),
    send,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    let prepared;
    try {
      prepared = prepareRequest(operation, values, server.value(), key.value());
    } catch (error) {
      if (!(error instanceof ConsoleInputError)) throw error;
      output.replaceChildren(h('p', { class: 'mtl-error' }, error.message));
      return;
    }
    send.disabled = true;
    output.replaceChildren(h('p', {}, `Sending to ${new URL(prepared.url).origin}…`));
    const started = performance.now();
    try {
      const response = await fetch(prepared.url, prepared.init);
      showResponse(output, response, await response.text(), performance.now() - started);
    } catch (error) {
      output.replaceChildren(
        h(
          'p',
          { class: 'mtl-error' },
          `No answer from ${new URL(prepared.url).origin} (${(error as Error).message}). Is it running (npm run sandbox), and does it allow this page's origin (CORS)?`,
        ),
      );
    } finally {
      send.disabled = false;
    }
  });
  return h('section', { class: 'mtl-console', 'aria-labelledby': titleId, 'data-operation': operation.operationId, 'data-testid': 'try-it' }, h('h3', { id: titleId }, `Try it: ${operation.summary}`), form, output);
}

/** Redoc's example picker is named "Example" but shows the example's title: its name now says both (WCAG 2.5.3, label in name). */
function nameExamplePickers(): void {
  for (const button of document.querySelectorAll<HTMLButtonElement>('button[aria-haspopup="menu"][aria-label]')) {
    const visible = button.textContent?.trim() ?? '';
    const label = button.getAttribute('aria-label') ?? '';
    const base = button.dataset.mtlLabel ?? label;
    if (visible && !label.toLowerCase().includes(visible.toLowerCase())) {
      button.dataset.mtlLabel = base;
      button.setAttribute('aria-label', `${base}: ${visible}`);
    }
  }
}

function mountAll(data: ConsoleData): void {
  for (const operation of data.operations) {
    const section = document.querySelector(`[id$="/${CSS.escape(operation.operationId.toLowerCase())}"]`);
    if (!section) continue;
    const samples = [...section.querySelectorAll('[data-testid="right-panel"]')].find((panel) => panel.querySelector('[data-testid="source-code"]'));
    if (!samples || samples.querySelector(`.mtl-console[data-operation="${operation.operationId}"]`)) continue;
    samples.append(consolePanel(data, operation));
  }
  nameExamplePickers();
}

function start(): void {
  const element = document.getElementById(consoleDataElementId);
  if (!element?.textContent) return;
  const data = JSON.parse(element.textContent) as ConsoleData;
  let scheduled = false;
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(() => {
      scheduled = false;
      mountAll(data);
    });
  };
  new MutationObserver(schedule).observe(document.body, { childList: true, subtree: true, characterData: true });
  schedule();
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
