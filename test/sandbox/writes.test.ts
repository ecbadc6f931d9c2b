import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, inject, it } from 'vitest';
import { call, freshKey, walk } from './support.ts';

const template = 'stm_2bCdEfGhJkLmNpQr';
const deployment = 'pde_1aBcDeFgHjKlMnPq';

describe('sandbox writes', () => {
  it('creates what was sent, reads it back, lists it, updates it and deletes it (soft: status deleted)', async () => {
    const key = freshKey('crud');
    const created = await call(key, 'POST', '/session-template-providers', {
      body: { session_template_id: template, provider_deployment_id: deployment, tool_filters: { tool_keys: ['read_file'] } },
    });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ object: 'session.template.provider', status: 'active', session_template_id: template, deployment: { id: deployment } });
    expect(created.body.id).toMatch(/^stp_/);
    expect(created.body.id).not.toBe('stp_3cDeFgHjKlMnPqRs');
    expect(created.body.tool_filter).toEqual({ type: 'v1.filter', filters: [{ type: 'tool_keys', keys: ['read_file'] }] });
    expect(created.body.provider_id).toBe(created.body.deployment.provider_id);

    const read = await call(key, 'GET', `/session-template-providers/${created.body.id}`);
    expect(read.body).toEqual(created.body);
    const newest = await call(key, 'GET', '/session-template-providers?order=desc&limit=1');
    expect(newest.body.items[0].id).toBe(created.body.id);

    await sleep(5);
    const updated = await call(key, 'PATCH', `/session-template-providers/${created.body.id}`, { body: { tool_filters: { tool_keys: ['search_files', 'read_file'] } } });
    expect(updated.body.tool_filter.filters).toEqual([{ type: 'tool_keys', keys: ['search_files', 'read_file'] }]);
    expect(Date.parse(updated.body.updated_at)).toBeGreaterThan(Date.parse(created.body.updated_at));
    expect(updated.body.created_at).toBe(created.body.created_at);

    const deleted = await call(key, 'DELETE', `/session-template-providers/${created.body.id}`);
    expect(deleted.body).toMatchObject({ id: created.body.id, status: 'deleted' });
    expect((await call(key, 'GET', `/session-template-providers/${created.body.id}`)).body.status).toBe('deleted');
    const listed = await walk(key, '/session-template-providers', 100);
    expect(listed.ids).not.toContain(created.body.id);
    const deletedOnes = await walk(key, '/session-template-providers?status=deleted', 100);
    expect(deletedOnes.ids).toContain(created.body.id);
    expect((await call(key, 'PATCH', `/session-template-providers/${created.body.id}`, { body: {} })).status).toBe(404);
    expect((await call(key, 'DELETE', `/session-template-providers/${created.body.id}`)).status).toBe(404);
  });

  it('answers an id it does not have with 404 in the API\u2019s error body', async () => {
    const key = freshKey();
    for (const path of ['/session-template-providers/stp_missing', '/runs/run_missing', '/server-runs/srun_missing', '/provider-runs/prn_missing', '/provider-runs/prn_missing/logs']) {
      const answer = await call(key, 'GET', path);
      expect(answer.status, path).toBe(404);
      expect(answer.body, path).toMatchObject({ object: 'error', status: 404, code: 'not_found' });
    }
  });

  it('answers 404 for an item of another session under a nested route', async () => {
    const key = freshKey();
    const runs = (await call(key, 'GET', '/provider-runs?limit=100')).body.items as { id: string; session_id: string }[];
    const mine = runs[0] as { id: string; session_id: string };
    const other = runs.find((r) => r.session_id !== mine.session_id) as { session_id: string };
    expect((await call(key, 'GET', `/sessions/${mine.session_id}/provider-runs/${mine.id}`)).status).toBe(200);
    expect((await call(key, 'GET', `/sessions/${mine.session_id}/provider-runs/${mine.id}/logs`)).body.provider_run_id).toBe(mine.id);
    expect((await call(key, 'GET', `/sessions/${other.session_id}/provider-runs/${mine.id}`)).status).toBe(404);
  });

  it('refuses a create that names what does not exist, with invalid_data naming the field', async () => {
    const answer = await call(freshKey(), 'POST', '/session-template-providers', { body: { session_template_id: 'stm_mine' } });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ code: 'invalid_data', errors: [{ path: ['session_template_id'] }] });
  });

  it('keeps each key\u2019s writes to itself, and the control route resets a key to the seed', async () => {
    const [mine, theirs] = [freshKey('mine'), freshKey('theirs')];
    const created = await call(mine, 'POST', '/session-template-providers', { body: { session_template_id: template } });
    expect((await call(mine, 'GET', `/session-template-providers/${created.body.id}`)).status).toBe(200);
    expect((await call(theirs, 'GET', `/session-template-providers/${created.body.id}`)).status).toBe(404);
    const reset = await fetch(`${inject('sandboxDirectUrl')}/_sandbox/reset`, { method: 'POST', headers: { Authorization: `Bearer ${mine}` } });
    expect(reset.status).toBe(200);
    expect((await call(mine, 'GET', `/session-template-providers/${created.body.id}`)).status).toBe(404);
  });

  it('moves a created run from running to success, with its timestamps, so polling code can be tested', async () => {
    const key = freshKey('run');
    const created = await call(key, 'POST', '/runs', { body: { agent_id: 'agent_Rm4Mnheq2bfEPhBhP7SY', content: 'Summarise my inbox.' } });
    expect(created.status).toBe(200);
    expect(created.body.status).toBe('running');
    expect(created.body.agent_id).toBe('agent_Rm4Mnheq2bfEPhBhP7SY');
    expect(created.body.message_group.messages[0].content.parts[0].text).toBe('Summarise my inbox.');
    let run = created.body;
    const deadline = Date.now() + 30_000;
    while (run.status !== 'success' && Date.now() < deadline) {
      await sleep(100);
      run = (await call(key, 'GET', `/runs/${created.body.id}`)).body;
    }
    expect(run.status).toBe('success');
    expect(Date.parse(run.created_at)).toBeLessThanOrEqual(Date.parse(run.started_at));
    expect(Date.parse(run.started_at)).toBeLessThanOrEqual(Date.parse(run.completed_at));
    const unknownAgent = await call(key, 'POST', '/runs', { body: { agent_id: 'agent_nobody', content: 'Hi' } });
    expect(unknownAgent.status).toBe(400);
  });
});
