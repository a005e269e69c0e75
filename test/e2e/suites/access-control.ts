// Identity and tenant isolation over HTTP, through the API-key authorizer (docs/backend.md "Identity and
// access"): no key → 401, a revoked key → 401, the wrong role → 403 naming the role (a reviewer below the
// escalation's level → 403 is in escalation-flow.ts); and the isolation matrix: every route, called with another tenant's key and
// this tenant's ids (an agent's memories included), answers 404 (or an empty list) and never this tenant's data.
import { beforeAll, describe, expect, it } from 'vitest';
import { authHeaders, createApiKey } from '../../../scripts/api-keys-client.ts';
import {
  pollEscalation,
  pollWorkflowUntilEnded,
  pollWorkflowUntilStatus,
  startWorkflow,
} from '../../../scripts/workflow-client.ts';
import type { E2eTarget } from '../support/e2e-target.ts';
import { call } from '../support/http.ts';
import { type E2eTenant, freshTenant, tenantKeyHeaders, tenantWithAgents } from '../support/tenant-fleet.ts';

interface Owned {
  agentId: string;
  workflowId: string;
  proofHash: string;
  escalationId: string;
  webhookId: string;
  keyId: string;
  memoryId: string;
}

const TIMEOUT_MS = 120_000;
/** What the owner's agent remembers: no other tenant's answer may ever contain it. */
const OWNER_MEMORY = 'the owner’s confidential launch date is the ninth';

export function accessControlSuite(target: E2eTarget): void {
  describe('access control', () => {
    let owner: E2eTenant;
    let intruder: E2eTenant;
    const owned = {} as Owned;

    beforeAll(async () => {
      owner = await tenantWithAgents(target, 'iso-owner', [
        'research-agent',
        'analysis-agent',
        'writing-agent',
      ]);
      intruder = await freshTenant(target, 'iso-intruder');
      const report = await startWorkflow(
        target.apiUrl,
        { template: 'report', input: { task: 'Write report on AI trends' } },
        owner.headers,
      );
      const escalating = await startWorkflow(
        target.apiUrl,
        {
          template: 'escalation',
          input: { task: 'Draft a note' },
          escalation: { slaSeconds: 600, maxLevel: 3 },
        },
        owner.headers,
      );
      const workflow = await pollWorkflowUntilEnded(target.apiUrl, report, { headers: owner.headers });
      expect(workflow.status).toBe('SUCCEEDED');
      await pollWorkflowUntilStatus(target.apiUrl, escalating, 'WAITING_APPROVAL', {
        headers: owner.headers,
      });
      const escalation = await pollEscalation(target.apiUrl, escalating, { headers: owner.headers });
      const webhook = await call('POST', `${target.apiUrl}/v1/webhooks`, {
        headers: owner.headers,
        body: { url: 'http://127.0.0.1:9/hook' },
      });
      expect(webhook.status).toBe(201);
      const key = await createApiKey(target.apiUrl, target.platformKey, {
        tenantId: owner.tenantId,
        name: 'owner-operator',
        roles: ['operator'],
      });
      const memory = await call('POST', `${target.apiUrl}/v1/agents/research-agent/memories`, {
        headers: owner.headers,
        body: { text: OWNER_MEMORY, importance: 0.9 },
      });
      expect(memory.status).toBe(201);
      Object.assign(owned, {
        agentId: 'research-agent',
        workflowId: report,
        proofHash: workflow.steps[0]!.proofHash!,
        escalationId: escalation.escalationId,
        webhookId: (webhook.body as { webhookId: string }).webhookId,
        keyId: key.keyId,
        memoryId: (memory.body as { memoryId: string }).memoryId,
      });
    }, TIMEOUT_MS);

    it('answers 401 without a key, and names the reason for a malformed or revoked one', async () => {
      const none = await call('GET', `${target.apiUrl}/v1/agents`);
      expect(none.status).toBe(401);
      const malformed = await call('GET', `${target.apiUrl}/v1/agents`, {
        headers: { authorization: 'Bearer nope' },
      });
      expect(malformed.status).toBe(401);
      expect(malformed.body).toMatchObject({
        error: { code: 'malformed_key', details: [{ field: 'headers.authorization' }] },
      });

      // Revoked before its first use, so no authorizer answer for it is cached yet.
      const doomed = await createApiKey(target.apiUrl, target.platformKey, {
        tenantId: owner.tenantId,
        name: 'doomed',
        roles: ['operator'],
      });
      const revoked = await fetch(`${target.apiUrl}/v1/api-keys/${doomed.keyId}`, {
        method: 'DELETE',
        headers: owner.headers,
      });
      expect(revoked.status).toBe(200);
      const refused = await call('GET', `${target.apiUrl}/v1/agents`, { headers: authHeaders(doomed.key) });
      expect(refused.status).toBe(401);
      expect(refused.body).toMatchObject({ error: { code: 'revoked_key' } });
    });

    it('ignores the identity headers of old: the tenant and role are the key’s alone', async () => {
      const answer = await call('GET', `${target.apiUrl}/v1/workflows/${owned.workflowId}`, {
        headers: { ...intruder.headers, 'x-trustgate-tenant': owner.tenantId, 'x-trustgate-role': 'admin' },
      });
      expect(answer.status).toBe(404);
    });

    it('answers 403 naming the role a key lacks', async () => {
      const reviewerOnly = await tenantKeyHeaders(target, owner, {
        name: 'rev',
        roles: ['reviewer'],
        reviewerLevel: 3,
      });
      const start = await call('POST', `${target.apiUrl}/v1/workflows`, {
        headers: reviewerOnly,
        body: { template: 'report', input: { task: 'x' } },
      });
      expect(start.status).toBe(403);
      expect(start.body).toMatchObject({
        error: { code: 'forbidden', message: 'starting a workflow needs the operator role' },
      });

      const operatorOnly = await tenantKeyHeaders(target, owner, { name: 'op', roles: ['operator'] });
      const subscribe = await call('POST', `${target.apiUrl}/v1/webhooks`, {
        headers: operatorOnly,
        body: { url: 'http://127.0.0.1:9/hook' },
      });
      expect(subscribe.status).toBe(403);
      expect(subscribe.body).toMatchObject({
        error: { message: 'subscribing a webhook needs the admin role' },
      });
      const approve = await call('POST', `${target.apiUrl}/v1/escalations/${owned.escalationId}/approve`, {
        headers: operatorOnly,
        body: {},
      });
      expect(approve.status).toBe(403);
      expect(approve.body).toMatchObject({
        error: { message: 'answering an escalation needs the reviewer role' },
      });

      // Memories: writing and deleting need the operator role; any key of the tenant may recall.
      const remember = await call('POST', `${target.apiUrl}/v1/agents/${owned.agentId}/memories`, {
        headers: reviewerOnly,
        body: { text: 'a reviewer’s note' },
      });
      expect(remember.status).toBe(403);
      expect(remember.body).toMatchObject({
        error: { code: 'forbidden', message: 'remembering for an agent needs the operator role' },
      });
      // fetch, as the isolation matrix below sends its DELETEs.
      const forget = await fetch(`${target.apiUrl}/v1/agents/${owned.agentId}/memories/${owned.memoryId}`, {
        method: 'DELETE',
        headers: reviewerOnly,
      });
      expect(forget.status).toBe(403);
      expect(await forget.json()).toMatchObject({
        error: { code: 'forbidden', message: 'deleting a memory needs the operator role' },
      });
      const recall = await call('GET', `${target.apiUrl}/v1/agents/${owned.agentId}/memories`, {
        headers: reviewerOnly,
      });
      expect(recall.status).toBe(200);
      const recalled = (recall.body as { memories: { memoryId: string; text: string }[] }).memories;
      expect(recalled).toContainEqual(
        expect.objectContaining({ memoryId: owned.memoryId, text: OWNER_MEMORY }),
      );
      expect(recalled.map(({ text }) => text)).not.toContain('a reviewer’s note');
    });

    it('isolation matrix: every route with another tenant’s key and this tenant’s ids → 404, never the data', async () => {
      const byId: [method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown][] = [
        ['GET', `/v1/agents/${owned.agentId}`],
        ['GET', `/v1/agents/${owned.agentId}/intents/verify`],
        ['GET', `/v1/agents/${owned.agentId}/memories`],
        ['GET', `/v1/agents/${owned.agentId}/memories?query=${encodeURIComponent('launch date')}`],
        ['POST', `/v1/agents/${owned.agentId}/memories`, { text: 'planted by another tenant' }],
        ['DELETE', `/v1/agents/${owned.agentId}/memories/${owned.memoryId}`],
        ['GET', `/v1/workflows/${owned.workflowId}`],
        ['GET', `/v1/proofs/${owned.proofHash}`],
        ['GET', `/v1/escalations/${owned.escalationId}`],
        ['POST', `/v1/escalations/${owned.escalationId}/approve`, {}],
        ['POST', `/v1/escalations/${owned.escalationId}/reject`, { reason: 'not mine' }],
        ['GET', `/v1/webhooks/${owned.webhookId}`],
        ['DELETE', `/v1/webhooks/${owned.webhookId}`],
        ['GET', `/v1/api-keys/${owned.keyId}`],
        ['DELETE', `/v1/api-keys/${owned.keyId}`],
        [
          'POST',
          '/v1/intents',
          { agentId: owned.agentId, action: 'search_web', resource: { id: 'w', type: 'web' } },
        ],
      ];
      for (const [method, path, body] of byId) {
        const response = await fetch(`${target.apiUrl}${path}`, {
          method,
          headers: {
            ...intruder.headers,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
        const text = await response.text();
        expect(response.status, `${method} ${path}: ${text}`).toBe(404);
        expect(JSON.parse(text)).toMatchObject({ error: { code: expect.stringMatching(/_not_found$/) } });
        expect(text).not.toContain(owner.tenantId);
        expect(text).not.toContain(OWNER_MEMORY);
      }

      const lists = [
        '/v1/agents',
        '/v1/workflows',
        '/v1/escalations?status=PENDING',
        '/v1/webhooks',
        '/v1/audit',
        '/v1/alerts',
        '/v1/api-keys',
      ];
      for (const path of lists) {
        const response = await fetch(`${target.apiUrl}${path}`, { headers: intruder.headers });
        const text = await response.text();
        expect(response.status, `GET ${path}: ${text}`).toBe(200);
        for (const id of Object.values(owned)) expect(text, `GET ${path}`).not.toContain(id);
        expect(text).not.toContain(owner.tenantId);
      }
      const metrics = await fetch(`${target.apiUrl}/metrics`, { headers: intruder.headers });
      expect(metrics.status).toBe(200);
      expect(await metrics.text()).not.toContain(owner.tenantId);
      const foreignMetrics = await fetch(`${target.apiUrl}/metrics?tenant=${owner.tenantId}`, {
        headers: intruder.headers,
      });
      expect(foreignMetrics.status).toBe(403);

      // Everything the intruder tried left the owner's records as they were.
      const still = await call('GET', `${target.apiUrl}/v1/webhooks/${owned.webhookId}`, {
        headers: owner.headers,
      });
      expect(still.status).toBe(200);
      const pending = await call('GET', `${target.apiUrl}/v1/escalations/${owned.escalationId}`, {
        headers: owner.headers,
      });
      expect(pending.body).toMatchObject({ status: 'PENDING' });
      const remembered = await call('GET', `${target.apiUrl}/v1/agents/${owned.agentId}/memories`, {
        headers: owner.headers,
      });
      expect(remembered.status).toBe(200);
      const memories = (remembered.body as { memories: { memoryId: string; text: string }[] }).memories;
      expect(memories).toContainEqual(
        expect.objectContaining({ memoryId: owned.memoryId, text: OWNER_MEMORY }),
      );
      expect(memories.map(({ text }) => text)).not.toContain('planted by another tenant');
    });
  });
}
