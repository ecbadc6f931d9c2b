import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/*
 * The three edits of issue 23, as a maintainer makes them, to a copy of spec/: a new operation
 * (GET /sessions/{session_id}, returning a Session), a new optional query parameter, and a breaking
 * change (ServerRun's required server_version_id removed). Each edits spec/ only.
 */

const edit = (file: string, change: (text: string) => string) => writeFileSync(file, change(readFileSync(file, 'utf8')));

/**
 * GET /sessions/{session_id}: a path file, a schema, an example, the path in openapi.yaml and,
 * unless told not to, its tag there and the waivers lint asks for, beside the places they are about.
 */
export function addGetSession(specDir: string, { declareTag = true, waive = true } = {}): void {
  const waivers = (indent: string, reasons: Record<string, string>) =>
    waive ? `${indent}x-lint-waivers:\n${Object.entries(reasons).map(([rule, reason]) => `${indent}  ${rule}: ${JSON.stringify(reason)}\n`).join('')}` : '';
  const responseString = 'A response string: no length or pattern is published for it (DECISIONS W1).';
  writeFileSync(
    join(specDir, 'paths', 'sessions_{session_id}.yaml'),
    `parameters:
  - $ref: ../components/parameters/MetorialVersion.yaml
  - $ref: ../components/parameters/SessionId.yaml
get:
  tags: [Sessions]
  operationId: getSession
  summary: Get a session
  description: |
    Returns one session, with its status and when it was created.
  responses:
    '200':
      description: The session.
      headers:
        metorial-req-id:
          $ref: ../components/headers/Metorial-Req-Id.yaml
      content:
        application/json:
          schema:
            $ref: ../components/schemas/Session.yaml
          examples:
            Session:
              $ref: ../components/examples/Session.yaml
${waivers('      ', { 'owasp:api4:2023-rate-limit': 'RateLimit-* headers are published for 429 answers only (DECISIONS W6).', 'owasp:api8:2023-define-cors-origin': 'No CORS policy is published for the API (DECISIONS W7).' })}    '400':
      $ref: ../components/responses/BadRequest.yaml
    '401':
      $ref: ../components/responses/Unauthorized.yaml
    '404':
      $ref: ../components/responses/NotFound.yaml
    '429':
      $ref: ../components/responses/TooManyRequests.yaml
    '500':
      $ref: ../components/responses/InternalServerError.yaml
`,
  );
  writeFileSync(
    join(specDir, 'components', 'schemas', 'Session.yaml'),
    `type: object
title: Session
description: A session of an agent with the providers of its template.
additionalProperties: false
required: [object, id, status, created_at]
properties:
  object:
    const: session
    description: Always \`session\`.
  id:
    type: string
    description: The session's id, such as \`ses_4dEfGhJkLmNpQrSt\`.
${waivers('    ', { 'owasp:api4:2023-string-limit': responseString, 'owasp:api4:2023-string-restricted': responseString })}  status:
    type: string
    enum: [active, archived]
    description: Whether the session is in use.
  created_at:
    type: string
    format: date-time
    description: When the session was created.
${waivers('    ', { 'owasp:api4:2023-string-limit': 'A response date-time: no length is published for it (DECISIONS W1).' })}`,
  );
  writeFileSync(
    join(specDir, 'components', 'examples', 'Session.yaml'),
    `summary: An active session
value:
  object: session
  id: ses_4dEfGhJkLmNpQrSt
  status: active
  created_at: '2025-09-15T10:30:00.000Z'
`,
  );
  edit(join(specDir, 'openapi.yaml'), (text) =>
    text.replace('  /sessions/{session_id}/provider-runs:\n', '  /sessions/{session_id}:\n    $ref: paths/sessions_{session_id}.yaml\n  /sessions/{session_id}/provider-runs:\n'),
  );
  if (declareTag) {
    edit(join(specDir, 'openapi.yaml'), (text) =>
      text.replace('tags:\n', 'tags:\n  - name: Sessions\n    description: |\n      Sessions connect an agent to the providers of a session template.\n'),
    );
  }
}

/** An optional query parameter on GET /server-runs, bounded so that it lints clean. */
export function addOptionalQueryParameter(specDir: string): void {
  edit(join(specDir, 'paths', 'server-runs.yaml'), (text) =>
    text.replace(
      '    - $ref: ../components/parameters/Order.yaml\n',
      `    - $ref: ../components/parameters/Order.yaml
    - name: server_name_prefix
      in: query
      required: false
      description: Only the server runs whose server name starts with this text.
      schema:
        type: string
        pattern: ^[A-Za-z0-9_]+$
        maxLength: 64
`,
    ),
  );
}

/** The breaking change: ServerRun's required `server_version_id` removed, from the schema and its examples. */
export function removeServerVersionId(specDir: string): void {
  edit(join(specDir, 'components', 'schemas', 'ServerRun.yaml'), (text) => text.replace('  - server_version_id\n', '').replace(/ {2}server_version_id:\n(?: {4}.*\n)+/, ''));
  const examples = join(specDir, 'components', 'examples');
  for (const example of readdirSync(examples).filter((name) => name.startsWith('ServerRun'))) {
    edit(join(examples, example), (text) => text.replace(/^ *server_version_id: .*\n/gm, ''));
  }
}
