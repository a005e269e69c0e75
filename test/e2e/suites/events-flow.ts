// The events half end to end (issue #9), over HTTP and the AWS SDK: what a workflow puts on the bus reaches
// every consumer (trust calculator, webhooks, analytics, audit, alerts), trust moves after agents act,
// concurrent signals are applied once each, a poison message waits in its DLQ until a redrive, a receiver
// that is down gets the retry schedule then the DLQ, and the audit trail names the field that was changed.
//
// Webhook receivers listen on this machine's loopback: the sandbox (E2E_CONTEXT allows private URLs and
// retries deliveries 1 s apart) reaches them; a deployment in AWS would need a reachable receiver.
import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { GetQueueAttributesCommand, ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newEvent } from '../../../functions/core/events/event-envelope.ts';
import type { AgentItem } from '../../../functions/data/agent-item.ts';
import { authHeaders } from '../../../scripts/api-keys-client.ts';
import {
  pollWorkflowUntilEnded,
  startWorkflow,
  type WorkflowView,
} from '../../../scripts/workflow-client.ts';
import { eventually } from '../../fixtures/sandbox-app/eventually.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../../support/webhook-receiver.ts';
import { type E2eTarget, tableNamed } from '../support/e2e-target.ts';
import { call } from '../support/http.ts';
import {
  demoAgent,
  type E2eTenant,
  freshTenant,
  registerAgent,
  tenantWithAgents,
} from '../support/tenant-fleet.ts';

const STAGE = process.env.TRUSTGATE_STAGE ?? 'dev';
/** What E2E_CONTEXT configures (test/e2e/support/synthesized-app.ts); a deployment says its own. */
const WEBHOOK_RETRY_DELAYS_SECONDS = (process.env.E2E_WEBHOOK_RETRY_DELAYS_SECONDS ?? '1,1,1,1,1')
  .split(',')
  .map(Number);
const REPORT_PIPELINE = ['research-agent', 'analysis-agent', 'writing-agent'];

interface AuditRecordView {
  sequence: number;
  eventId: string;
  type: string;
  source: string;
  subject: { agentId?: string; workflowId?: string };
}

interface VerifyAnswer {
  valid: boolean;
  firstBroken: null | { sequence: number; field: string; reason: string };
}

interface AgentView {
  score: number;
  tier: string;
  components: { behavioral: number; compliance: number };
}

export function eventsFlowSuite(target: E2eTarget): void {
  let sqs: SQSClient;
  let eventBridge: EventBridgeClient;

  beforeAll(() => {
    const config = clientConfig(target);
    sqs = new SQSClient(config);
    eventBridge = new EventBridgeClient(config);
  });
  afterAll(() => {
    sqs?.destroy();
    eventBridge?.destroy();
  });

  const get = (path: string, tenant: E2eTenant) =>
    call('GET', `${target.apiUrl}${path}`, { headers: tenant.headers });
  const agentView = async (tenant: E2eTenant, agentId: string) =>
    (await get(`/v1/agents/${agentId}`, tenant)).body as AgentView;

  async function agentItem(tenant: E2eTenant, agentId: string): Promise<AgentItem> {
    const { Item } = await DynamoDBDocumentClient.from(target.dynamodb).send(
      new GetCommand({
        TableName: await tableNamed(target.dynamodb, 'AgentsTable'),
        Key: { tenantId: tenant.tenantId, agentId },
        ConsistentRead: true,
      }),
    );
    return Item as AgentItem;
  }

  async function auditRecords(tenant: E2eTenant, query = ''): Promise<AuditRecordView[]> {
    const records: AuditRecordView[] = [];
    let nextToken: string | null = null;
    do {
      const page = `limit=100${nextToken ? `&nextToken=${encodeURIComponent(nextToken)}` : ''}${query ? `&${query}` : ''}`;
      const answer = await get(`/v1/audit?${page}`, tenant);
      expect(answer.status).toBe(200);
      const body = answer.body as { items: AuditRecordView[]; nextToken: string | null };
      records.push(...body.items);
      nextToken = body.nextToken;
    } while (nextToken);
    return records;
  }

  describe('a report workflow on the bus', () => {
    let tenant: E2eTenant;
    let workflow: WorkflowView;
    let receiver: WebhookReceiver;
    const before = new Map<string, AgentView>();

    beforeAll(async () => {
      tenant = await tenantWithAgents(target, 'events', REPORT_PIPELINE);
      for (const agentId of REPORT_PIPELINE) before.set(agentId, await agentView(tenant, agentId));
      receiver = await startWebhookReceiver();
      const subscribed = await call('POST', `${target.apiUrl}/v1/webhooks`, {
        headers: tenant.headers,
        body: { url: receiver.url, description: 'every event of the tenant' },
      });
      expect(subscribed.status).toBe(201);
      receiver.useSecret((subscribed.body as { secret: string }).secret);
      const workflowId = await startWorkflow(
        target.apiUrl,
        { template: 'report', input: { task: 'Write report on AI trends' } },
        tenant.headers,
      );
      workflow = await pollWorkflowUntilEnded(target.apiUrl, workflowId, { headers: tenant.headers });
      expect(workflow.status).toBe('SUCCEEDED');
    });
    afterAll(async () => {
      await receiver?.close();
    });

    it('leaves every event of the run in the tenant’s audit trail, chained and verifiable', async () => {
      const expected = [
        'workflow.started',
        ...Array(3).fill('intent.declared'),
        ...Array(3).fill('intent.decided'),
        ...Array(3).fill('execution.succeeded'),
        'proof.batched',
        'workflow.completed',
      ].sort();
      const ofRun = await eventually(async () => {
        const records = await auditRecords(tenant, `workflowId=${workflow.workflowId}`);
        return records.length >= expected.length ? records : undefined;
      }, 30_000);
      expect(ofRun.map((record) => record.type).sort()).toEqual(expected);
      expect(new Set(ofRun.map((record) => record.eventId)).size).toBe(ofRun.length);
      const verified = await get('/v1/audit/verify', tenant);
      expect(verified.status).toBe(200);
      expect(verified.body).toMatchObject({ valid: true, firstBroken: null });
    });

    it('moves each agent’s trust: the trust calculator applied the successes and announced trust.changed', async () => {
      const changes = await eventually(async () => {
        const records = await auditRecords(tenant, 'type=trust.changed');
        return records.length >= 3 ? records : undefined;
      }, 30_000);
      expect(changes.map((record) => record.subject.agentId).sort()).toEqual([...REPORT_PIPELINE].sort());
      for (const agentId of REPORT_PIPELINE) {
        const now = await agentView(tenant, agentId);
        expect(now.components.behavioral).toBeGreaterThan(before.get(agentId)!.components.behavioral);
        expect(now.score).toBeGreaterThan(before.get(agentId)!.score);
      }
    });

    it('counts the run for GET /metrics, which parses as Prometheus text', async () => {
      const decisions = await eventually(async () => {
        const response = await fetch(`${target.apiUrl}/metrics`, { headers: tenant.headers });
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
        const families = parsePrometheusTextFormat(await response.text());
        const family = families.find((candidate) => candidate.name === 'trustgate_decisions_total');
        const ofTenant = family?.metrics.filter((metric) => metric.labels?.tenant === tenant.tenantId) ?? [];
        const total = ofTenant.reduce((sum, metric) => sum + Number(metric.value), 0);
        return total >= 3 ? ofTenant : undefined;
      }, 30_000);
      expect(decisions.every((metric) => metric.labels?.decision === 'ALLOW')).toBe(true);
      expect(decisions.map((metric) => metric.labels?.agent).sort()).toEqual([...REPORT_PIPELINE].sort());
    });

    it('delivers every event to the tenant’s webhook, each verified by the standardwebhooks library', async () => {
      await eventually(async () => (receiver.deliveries.length >= 12 ? true : undefined), 30_000);
      expect(receiver.deliveries.every((delivery) => delivery.verified === true)).toBe(true);
      const types = receiver.deliveries.map((delivery) => delivery.headers['x-trustgate-event']);
      expect(types).toContain('workflow.completed');
      expect(types).toContain('execution.succeeded');
      const ids = receiver.deliveries.map((delivery) => delivery.headers['webhook-id']);
      expect(new Set(ids).size).toBe(ids.length);
      const body = JSON.parse(receiver.deliveries[0]!.body) as {
        type: string;
        timestamp: string;
        data: { tenantId: string };
      };
      expect(body.data.tenantId).toBe(tenant.tenantId);
      expect(body.type).toBe(receiver.deliveries[0]!.headers['x-trustgate-event']);
    });
  });

  it('lowers the behavioral component and the score of an agent whose step failed', async () => {
    const tenant = await tenantWithAgents(target, 'failure', REPORT_PIPELINE);
    const before = await agentView(tenant, 'research-agent');
    const workflowId = await startWorkflow(
      target.apiUrl,
      { template: 'report', input: { task: 'Write report on AI trends', failAt: 'research' } },
      tenant.headers,
    );
    expect(
      (await pollWorkflowUntilEnded(target.apiUrl, workflowId, { headers: tenant.headers })).status,
    ).toBe('FAILED');
    const after = await eventually(async () => {
      const view = await agentView(tenant, 'research-agent');
      return view.components.behavioral < before.components.behavioral ? view : undefined;
    }, 30_000);
    expect(after.score).toBeLessThan(before.score);
  });

  it('applies 50 concurrent signals for one agent, each exactly once, also when they are sent again', async () => {
    const tenant = await tenantWithAgents(target, 'concurrent', ['research-agent']);
    const batch = (part: number) =>
      Array.from({ length: 10 }, (_, index) => ({
        type: 'execution.succeeded',
        id: `signal-${part}-${index}`,
        data: { agentId: 'research-agent', durationMs: 100 + index },
      }));
    const send = () =>
      Promise.all(
        [0, 1, 2, 3, 4].map((part) =>
          call('POST', `${target.apiUrl}/v1/events`, {
            headers: tenant.headers,
            body: { events: batch(part) },
          }),
        ),
      );
    for (const answer of await send()) expect(answer).toMatchObject({ status: 202, body: { accepted: 10 } });
    const applied = await eventually(async () => {
      const agent = await agentItem(tenant, 'research-agent');
      return agent.trust.recentOutcomes.length >= 50 ? agent : undefined;
    }, 60_000);
    expect(applied.trust.recentOutcomes).toHaveLength(50);

    // The same 50 again (a client retrying after a timeout): the same event ids, nothing applied twice.
    for (const answer of await send()) expect(answer.status).toBe(202);
    const marker = await call('POST', `${target.apiUrl}/v1/events`, {
      headers: tenant.headers,
      body: {
        events: [{ type: 'execution.succeeded', id: 'after-the-retry', data: { agentId: 'research-agent' } }],
      },
    });
    expect(marker.status).toBe(202);
    const settled = await eventually(async () => {
      const agent = await agentItem(tenant, 'research-agent');
      return agent.trust.recentOutcomes.length >= 51 ? agent : undefined;
    }, 60_000);
    expect(settled.trust.recentOutcomes).toHaveLength(51);
  }, 120_000);

  it('keeps a poison event in the trust calculator’s DLQ until its cause is fixed; a redrive then applies it', async () => {
    const tenant = await freshTenant(target, 'poison');
    const ghost = { ...demoAgent('research-agent'), agentId: 'ghost-agent' };
    const dlqUrl = await queueUrl(sqs, 'TrustCalculatorEventsDeadLetterQueue');
    // An outcome of an agent nobody registered yet: put on the bus directly (the API would refuse it).
    const poison = newEvent('execution.succeeded', {
      tenantId: tenant.tenantId,
      key: 'poison',
      occurredAt: Date.now(),
      data: { agentId: 'ghost-agent', durationMs: 10 },
    });
    const put = await eventBridge.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: `trustgate-${STAGE}`,
            Source: 'trustgate.ingest',
            DetailType: poison.type,
            Detail: JSON.stringify(poison),
          },
        ],
      }),
    );
    expect(put.FailedEntryCount ?? 0).toBe(0);
    // Retried with backoff (1, 2, 4, 8 s in the e2e context), then dead-lettered.
    await eventually(async () => ((await queueDepth(sqs, dlqUrl)) > 0 ? true : undefined), 60_000, 500);

    await registerAgent(target.apiUrl, tenant, ghost);
    const redriven = await call('POST', `${target.apiUrl}/v1/events/redrive`, {
      headers: authHeaders(target.platformKey),
      body: { queue: 'trust-calculator' },
    });
    expect(redriven.status).toBe(200);
    expect((redriven.body as { moved: number }).moved).toBeGreaterThanOrEqual(1);
    const applied = await eventually(async () => {
      const agent = await agentItem(tenant, 'ghost-agent');
      return agent.trust.recentOutcomes.length === 1 ? agent : undefined;
    }, 30_000);
    expect(applied.trust.recentOutcomes[0]!.outcome).toBe('success');
  }, 120_000);

  it('gives a receiver that is down the retry schedule, then the DLQ; a redrive delivers once it is back', async () => {
    const tenant = await tenantWithAgents(target, 'receiver-down', ['analysis-agent']);
    const receiver = await startWebhookReceiver();
    try {
      receiver.answer(503);
      const subscribed = await call('POST', `${target.apiUrl}/v1/webhooks`, {
        headers: tenant.headers,
        body: { url: receiver.url, filter: { 'detail-type': ['compliance.audit_passed'] } },
      });
      expect(subscribed.status).toBe(201);
      const { webhookId, secret } = subscribed.body as { webhookId: string; secret: string };
      receiver.useSecret(secret);
      const sent = await call('POST', `${target.apiUrl}/v1/events`, {
        headers: tenant.headers,
        body: { events: [{ type: 'compliance.audit_passed', data: { agentId: 'analysis-agent' } }] },
      });
      expect(sent.status).toBe(202);

      const attempts = WEBHOOK_RETRY_DELAYS_SECONDS.length + 1;
      await eventually(async () => (receiver.deliveries.length >= attempts ? true : undefined), 60_000);
      const times = receiver.deliveries.map((delivery) => delivery.receivedAtMs);
      WEBHOOK_RETRY_DELAYS_SECONDS.forEach((delay, index) => {
        // SQS visibility has whole-second granularity: a little early is rounding, never a skipped wait.
        expect(times[index + 1]! - times[index]!).toBeGreaterThanOrEqual(delay * 1000 - 100);
      });
      expect(new Set(receiver.deliveries.map((delivery) => delivery.headers['webhook-id'])).size).toBe(1);
      expect(receiver.deliveries.every((delivery) => delivery.verified)).toBe(true);
      const failing = await get(`/v1/webhooks/${webhookId}`, tenant);
      expect((failing.body as { failingSince: string | null }).failingSince).not.toBeNull();

      receiver.answer(200);
      // The last failed attempt is dead-lettered on its next receive; redrive until it has been moved.
      await eventually(
        async () => {
          const answer = await call('POST', `${target.apiUrl}/v1/webhooks/redrive`, {
            headers: authHeaders(target.platformKey),
          });
          expect(answer.status).toBe(200);
          return (answer.body as { moved: number }).moved > 0 ? true : undefined;
        },
        30_000,
        500,
      );
      await eventually(async () => (receiver.deliveries.length > attempts ? true : undefined), 30_000);
      expect(receiver.deliveries.at(-1)!.verified).toBe(true);
      await eventually(async () => {
        const healthy = (await get(`/v1/webhooks/${webhookId}`, tenant)).body as {
          failingSince: string | null;
        };
        return healthy.failingSince === null ? true : undefined;
      });
    } finally {
      await receiver.close();
    }
  }, 120_000);

  it('names the record and the field of an audit record changed behind its back', async () => {
    const tenant = await tenantWithAgents(target, 'tamper', ['analysis-agent']);
    const sent = await call('POST', `${target.apiUrl}/v1/events`, {
      headers: tenant.headers,
      body: {
        events: [
          { type: 'compliance.audit_passed', data: { agentId: 'analysis-agent' } },
          { type: 'compliance.remediation', data: { agentId: 'analysis-agent', fast: true } },
        ],
      },
    });
    expect(sent.status).toBe(202);
    const records = await eventually(async () => {
      const all = await auditRecords(tenant);
      return all.length >= 2 ? all : undefined;
    }, 30_000);
    expect((await get('/v1/audit/verify', tenant)).body).toMatchObject({ valid: true });

    const tampered = records[0]!;
    await target.dynamodb.send(
      new UpdateItemCommand({
        TableName: await tableNamed(target.dynamodb, 'AuditTable'),
        Key: { chainKey: { S: tenant.tenantId }, sequence: { N: String(tampered.sequence) } },
        UpdateExpression: 'SET #type = :forged',
        ExpressionAttributeNames: { '#type': 'type' },
        ExpressionAttributeValues: { ':forged': { S: 'compliance.violation' } },
      }),
    );
    const verified = (await get('/v1/audit/verify', tenant)).body as VerifyAnswer;
    expect(verified.valid).toBe(false);
    expect(verified.firstBroken).toMatchObject({ sequence: tampered.sequence, field: 'type' });
  });
}

function clientConfig(target: E2eTarget) {
  const endpoint = process.env.AWS_ENDPOINT_URL ?? target.edgeUrl;
  return {
    region: process.env.AWS_REGION ?? 'us-east-1',
    ...(endpoint ? { endpoint, credentials: { accessKeyId: 'e2e', secretAccessKey: 'e2e' } } : {}),
  };
}

/** A queue of the stateful stack by its construct path, named `<stack>-<logicalId>-<suffix>` like the tables. */
async function queueUrl(sqs: SQSClient, constructPrefix: string): Promise<string> {
  const { QueueUrls = [] } = await sqs.send(
    new ListQueuesCommand({ QueueNamePrefix: `Trustgate-${STAGE}-Stateful-${constructPrefix}` }),
  );
  if (QueueUrls.length !== 1) {
    throw new Error(
      `expected one queue named like ${constructPrefix}, found ${QueueUrls.join(', ') || 'none'}`,
    );
  }
  return QueueUrls[0]!;
}

async function queueDepth(sqs: SQSClient, url: string): Promise<number> {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: url,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return (
    Number(Attributes?.ApproximateNumberOfMessages ?? 0) +
    Number(Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0)
  );
}
