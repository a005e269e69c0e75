// `npm run bench -- events`: the events half (issue #9).
//   latency      producer → consumer in the sandbox: an event put on the bus (the publisher, through the
//                edge) until each consumer's effect is recorded — the trust calculator's applied signal, the
//                audit record, the analytics marker, the webhook arriving at a loopback receiver, the alert
//   throughput   events a second one consumer works through, for a burst put at once in one tenant
//   gate cost    a gated step with events on versus off (a publisher that puts nothing), in-process against
//                DynamoDB Local and the sandbox's EventBridge, same run: requests per step and latency
//   audit        verification at 10 000 and 100 000 records, full versus checkpoints (bench/audit-verify.ts)
// Figures are printed, never asserted: a shared 2-core machine makes timings noisy.

import { randomBytes, randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { type GateDependencies, runGatedStep } from '../functions/app/gate/run-gated-step.ts';
import { startWorkflow } from '../functions/app/workflows/start-workflow.ts';
import { workflowPlan } from '../functions/app/workflows/start-workflow-request.ts';
import { BUILT_IN_WORKFLOW_DEFAULTS } from '../functions/app/workflows/workflow-defaults.ts';
import { MAX_OPEN_WORKFLOWS } from '../functions/app/workflows/workflow-queue.ts';
import { ExtractiveSummarizer } from '../functions/core/budget/extractive-summarizer.ts';
import { newEvent, type TrustgateEvent } from '../functions/core/events/event-envelope.ts';
import { UuidV7Generator } from '../functions/core/intents/uuidv7.ts';
import { LocalEmbedder } from '../functions/core/memory/local-embedder.ts';
import { PolicyStore } from '../functions/core/policy/policy-store.ts';
import type { AgentItem } from '../functions/data/agent-item.ts';
import { eventAnnouncer } from '../functions/events/event-announcer.ts';
import { type EventPublisher, eventBridgePublisher } from '../functions/events/event-publisher.ts';
import { cachedProviderFactory } from '../functions/providers/provider-cache.ts';
import { startDynamoDbLocal } from '../sandbox/emulators/dynamodb-local.ts';
import { startSandbox } from '../sandbox/index.ts';
import { allRolesKey, authHeaders } from '../scripts/api-keys-client.ts';
import { firstSandboxKeys } from '../scripts/bootstrap-keys.ts';
import { DEMO_FLEET, demoAgentRegistration } from '../scripts/demo-fleet.ts';
import { tableNamed } from '../test/e2e/support/e2e-target.ts';
import { synthesizedTrustgateApp } from '../test/e2e/support/synthesized-app.ts';
import { REPORT_FLEET, seedAgents } from '../test/integration/workflows/workflow-fleet.ts';
import { createTables, uniqueTableNames } from '../test/support/dynamodb-tables.ts';
import { startTestEventBus } from '../test/support/test-event-bus.ts';
import { startWebhookReceiver } from '../test/support/webhook-receiver.ts';
import { runAuditVerifyBenchmark } from './audit-verify.ts';
import { formatFigure, type LatencySummary, summarize } from './measure.ts';

const LATENCY_EVENTS = 20;
/**
 * Between latency samples: far enough apart that the five consumers (ten deliveries per sample) drain before
 * the next one on a 2-core machine, so the figure is latency, not queueing. At 150 ms the backlog alone made
 * p50 ≈ 12–26 s.
 */
const LATENCY_SPACING_MS = 1_000;
const BURST_EVENTS = 300;
const GATE_RUNS = 20;
const STAGE = 'dev';

export async function runEventsBenchmark(): Promise<void> {
  await consumerBenchmarks();
  console.log();
  await gateCostBenchmark();
  console.log();
  await runAuditVerifyBenchmark();
}

async function consumerBenchmarks(): Promise<void> {
  const sandbox = await startSandbox({
    assembly: await synthesizedTrustgateApp(),
    edgePort: 0,
    apiPort: 0,
    quiet: true,
  });
  const config = {
    endpoint: sandbox.edgeUrl,
    region: 'us-east-1',
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
  };
  const dynamodb = new DynamoDBClient(config);
  const documents = DynamoDBDocumentClient.from(dynamodb);
  const eventBridge = new EventBridgeClient(config);
  const publisher = eventBridgePublisher({ eventBridge, busName: `trustgate-${STAGE}` });
  const receiver = await startWebhookReceiver();
  try {
    const apiUrl = sandbox.apiUrl!;
    const tables = {
      agents: await tableNamed(dynamodb, 'AgentsTable'),
      audit: await tableNamed(dynamodb, 'AuditTable'),
      analytics: await tableNamed(dynamodb, 'AnalyticsTable'),
      alerts: await tableNamed(dynamodb, 'AlertsTable'),
    };
    const tenant = `bench-${randomUUID().slice(0, 8)}`;
    const { platformKey } = await firstSandboxKeys(sandbox);
    const headers = authHeaders(await allRolesKey(apiUrl, platformKey, tenant));
    await register(apiUrl, headers, 'research-agent');
    const subscribed = await fetch(`${apiUrl}/v1/webhooks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ url: receiver.url, filter: { 'detail-type': ['execution.succeeded'] } }),
    });
    if (subscribed.status !== 201) throw new Error(`POST /v1/webhooks answered ${subscribed.status}`);

    // Latency: one execution.succeeded (trust, audit, analytics, webhooks) and one circuit.opened (alerts,
    // audit, analytics) at a time.
    const putAt = new Map<string, number>();
    const put = async (event: TrustgateEvent, source?: string) => {
      putAt.set(event.eventId, Date.now());
      await publisher.publish([event], source ? { source } : undefined);
    };
    const succeeded: string[] = [];
    const opened: string[] = [];
    for (let i = 0; i < LATENCY_EVENTS; i++) {
      const outcome = executionSucceeded(tenant, `latency-${i}`);
      const circuit = circuitOpened(tenant, `latency-${i}`);
      succeeded.push(outcome.eventId);
      opened.push(circuit.eventId);
      await put(outcome, 'trustgate.ingest');
      await put(circuit);
      await sleep(LATENCY_SPACING_MS);
    }
    const settle = async (read: () => Promise<Map<string, number>>, ids: string[], what: string) => {
      const deadline = Date.now() + 60_000;
      for (;;) {
        const times = await read();
        if (ids.every((id) => times.has(id))) return latencies(ids, times, putAt);
        if (Date.now() > deadline)
          throw new Error(`${what}: ${ids.filter((id) => !times.has(id)).length} effects missing`);
        await sleep(200);
      }
    };
    const trust = await settle(
      () => appliedSignalTimes(documents, tables.agents, tenant),
      succeeded,
      'trust',
    );
    const audit = await settle(
      () => auditTimes(documents, tables.audit, tenant),
      [...succeeded, ...opened],
      'audit',
    );
    const analytics = await settle(
      () => analyticsTimes(documents, tables.analytics),
      [...succeeded, ...opened],
      'analytics',
    );
    const alerts = await settle(() => alertTimes(documents, tables.alerts, tenant), opened, 'alerts');
    const webhooks = await settle(
      async () =>
        new Map(
          receiver.deliveries.map((delivery) => [
            String(delivery.headers['webhook-id']),
            delivery.receivedAtMs,
          ]),
        ),
      succeeded,
      'webhooks',
    );

    console.log(
      `events: producer → consumer latency in the sandbox (${LATENCY_EVENTS} events each, put one at a time)`,
    );
    for (const [name, summary] of [
      ['trust calculator (agent updated)', trust],
      ['audit logger (record appended)', audit],
      ['analytics (counted)', analytics],
      ['alert service (alert stored)', alerts],
      ['webhooks (dispatcher + delivery, received)', webhooks],
    ] as const) {
      console.log(
        `  ${name.padEnd(44)} p50 ${formatFigure(summary.p50, 'ms').padStart(9)}  p99 ${formatFigure(summary.p99, 'ms').padStart(9)}`,
      );
    }

    // Throughput: a burst in a fresh tenant, 10 events per PutEvents.
    const burstTenant = `burst-${randomUUID().slice(0, 8)}`;
    await register(
      apiUrl,
      authHeaders(await allRolesKey(apiUrl, platformKey, burstTenant)),
      'research-agent',
    );
    const burst = Array.from({ length: BURST_EVENTS }, (_, i) =>
      executionSucceeded(burstTenant, `burst-${i}`),
    );
    const started = Date.now();
    await publisher.publish(burst, { source: 'trustgate.ingest' });
    const ids = burst.map((event) => event.eventId);
    const finished = async (read: () => Promise<Map<string, number>>) => {
      const deadline = Date.now() + 180_000;
      for (;;) {
        const times = await read();
        if (ids.every((id) => times.has(id))) return Math.max(...ids.map((id) => times.get(id)!));
        if (Date.now() > deadline) return undefined;
        await sleep(250);
      }
    };
    console.log(
      `events: throughput of one consumer, ${BURST_EVENTS} events put at once for one tenant and one agent`,
    );
    for (const [name, read] of [
      ['audit logger (one hash chain per tenant)', () => auditTimes(documents, tables.audit, burstTenant)],
      ['analytics', () => analyticsTimes(documents, tables.analytics)],
      [
        'trust calculator (one agent, version lock)',
        () => appliedSignalTimes(documents, tables.agents, burstTenant),
      ],
    ] as const) {
      const last = await finished(read);
      const line =
        last === undefined
          ? 'did not finish within 180 s'
          : `${((BURST_EVENTS * 1000) / (last - started)).toFixed(0)} events/s (${((last - started) / 1000).toFixed(1)} s)`;
      console.log(`  ${name.padEnd(44)} ${line}`);
    }
    console.log(
      '  (the trust calculator keeps the last 100 applied ids on the agent; past that, the idempotency table dedupes)',
    );
  } finally {
    await receiver.close();
    eventBridge.destroy();
    dynamodb.destroy();
    await sandbox.stop();
  }
}

/** The gate with events on and off, in one process on one DynamoDB Local, on the same fleet. */
async function gateCostBenchmark(): Promise<void> {
  const emulator = await startDynamoDbLocal({ port: 0 });
  const bus = await startTestEventBus({ dynamoDbUrl: emulator.url });
  // The gate signs as `gate`, the set-up (fleet, workflows) as `setup`: the edge counts them apart.
  const clientAs = (accessKeyId: string) =>
    new DynamoDBClient({
      endpoint: bus.edgeUrl,
      region: 'us-east-1',
      credentials: { accessKeyId, secretAccessKey: 'bench' },
    });
  const client = clientAs('setup');
  const gateClient = clientAs('gate');
  const options = { marshallOptions: { removeUndefinedValues: true } };
  const documents = DynamoDBDocumentClient.from(client, options);
  const gateDocuments = DynamoDBDocumentClient.from(gateClient, options);
  try {
    const tables = uniqueTableNames('bench-gate');
    await createTables(client, tables);
    const intentIds = new UuidV7Generator({ nowMs: Date.now, randomBytes });
    const base: Omit<GateDependencies, 'events'> = {
      client: gateDocuments,
      tables: {
        agents: tables.agents,
        intents: tables.intents,
        proofs: tables.proofs,
        workflows: tables.workflows,
        gateState: tables.gateState,
      },
      policies: new PolicyStore({ clock: Date.now }),
      providerFor: cachedProviderFactory(),
      clock: Date.now,
      newIntentId: () => intentIds.next(),
      summarizer: new ExtractiveSummarizer(),
      memory: { client: gateDocuments, table: tables.memory, embedder: new LocalEmbedder() },
      // Not the tenant plans under test: the runs go back to back.
      rateLimit: { capacity: 1_000_000, refillTokens: 1_000_000, refillIntervalMs: 1_000 },
    };
    const off: EventPublisher = { publish: async () => undefined };
    const measure = async (events: EventPublisher, label: string) => {
      const tenantId = `gate-${label}`;
      await seedAgents(documents, tables.agents, tenantId, REPORT_FLEET);
      const deps = { ...base, events };
      const millis: number[] = [];
      bus.resetRequestCounts();
      let steps = 0;
      for (let run = 0; run < GATE_RUNS + 3; run++) {
        const { workflowId } = await startWorkflow(
          {
            client: documents,
            workflowsTable: tables.workflows,
            gateStateTable: tables.gateState,
            maxOpenWorkflows: MAX_OPEN_WORKFLOWS,
            stateMachineArns: {
              sequential: 'arn:aws:states:us-east-1:000000000000:stateMachine:seq',
              parallel: 'arn:aws:states:us-east-1:000000000000:stateMachine:par',
              saga: 'arn:aws:states:us-east-1:000000000000:stateMachine:saga',
            },
            startExecution: async () => undefined,
            clock: Date.now,
            newWorkflowId: randomUUID,
            events: eventAnnouncer(off, () => undefined),
          },
          tenantId,
          workflowPlan(
            { template: 'report', input: { task: 'Write report on AI trends' } },
            BUILT_IN_WORKFLOW_DEFAULTS,
          ),
        );
        if (run === 3) bus.resetRequestCounts(); // after the warm-up runs
        for (const [stepIndex, agentId] of ['research-agent', 'analysis-agent', 'writing-agent'].entries()) {
          const started = performance.now();
          await runGatedStep(
            deps,
            { workflowId, tenantId, stepIndex, agentId },
            { remainingTimeMs: () => 120_000 },
          );
          if (run >= 3) {
            millis.push(performance.now() - started);
            steps++;
          }
        }
      }
      const byCaller = bus.requestCountsByCaller();
      const dynamo = Object.values(byCaller.gate ?? {}).reduce((sum, count) => sum + count, 0);
      // The bus's publisher signs as `test` (test/support/test-event-bus.ts).
      const putEvents = byCaller.test?.['EventBridge.PutEvents'] ?? 0;
      return {
        latency: summarize(Float64Array.from(millis)),
        dynamoPerStep: dynamo / steps,
        putEventsPerStep: putEvents / steps,
      };
    };
    const without = await measure(off, 'off');
    const withEvents = await measure(bus.publisher, 'on');
    console.log(
      `events: cost per gated step, in-process gate (local provider), ${GATE_RUNS} report runs each, same process`,
    );
    const row = (name: string, figures: typeof without) =>
      console.log(
        `  ${name.padEnd(12)} DynamoDB ${figures.dynamoPerStep.toFixed(2)}  PutEvents ${figures.putEventsPerStep.toFixed(2)}  p50 ${formatFigure(figures.latency.p50, 'ms')}  p99 ${formatFigure(figures.latency.p99, 'ms')}`,
      );
    row('events off', without);
    row('events on', withEvents);
    console.log(
      `  added per step: ${(withEvents.dynamoPerStep - without.dynamoPerStep).toFixed(2)} DynamoDB requests, ${(withEvents.putEventsPerStep - without.putEventsPerStep).toFixed(2)} PutEvents, p50 +${formatFigure(withEvents.latency.p50 - without.latency.p50, 'ms')} (ratio ${(withEvents.latency.p50 / without.latency.p50).toFixed(2)}x)`,
    );
  } finally {
    client.destroy();
    gateClient.destroy();
    await bus.stop();
    await emulator.stop();
  }
}

function executionSucceeded(tenantId: string, key: string): TrustgateEvent {
  return newEvent('execution.succeeded', {
    tenantId,
    key,
    occurredAt: Date.now(),
    data: { agentId: 'research-agent', action: 'search_web', agentTier: 'T3', durationMs: 250 },
  });
}

function circuitOpened(tenantId: string, key: string): TrustgateEvent {
  return newEvent('circuit.opened', {
    tenantId,
    key,
    occurredAt: Date.now(),
    data: { agentId: 'research-agent', reason: 'failure_count', failureCount: 5 },
  });
}

function latencies(ids: string[], effects: Map<string, number>, putAt: Map<string, number>): LatencySummary {
  return summarize(Float64Array.from(ids.map((id) => effects.get(id)! - putAt.get(id)!)));
}

async function appliedSignalTimes(documents: DynamoDBDocumentClient, table: string, tenantId: string) {
  const { Item } = await documents.send(
    new GetCommand({ TableName: table, Key: { tenantId, agentId: 'research-agent' }, ConsistentRead: true }),
  );
  const applied = (Item as AgentItem | undefined)?.appliedTrustSignals ?? [];
  return new Map(applied.map((signal) => [signal.eventId, Date.parse(signal.appliedAt)]));
}

async function auditTimes(documents: DynamoDBDocumentClient, table: string, tenantId: string) {
  const times = new Map<string, number>();
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'chainKey = :tenant AND #sequence > :zero',
        ExpressionAttributeNames: { '#sequence': 'sequence' },
        ExpressionAttributeValues: { ':tenant': tenantId, ':zero': 0 },
        ExclusiveStartKey,
      }),
    );
    for (const item of page.Items ?? [])
      times.set(item.eventId as string, Date.parse(item.recordedAt as string));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return times;
}

async function analyticsTimes(documents: DynamoDBDocumentClient, table: string) {
  const times = new Map<string, number>();
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'metric = :marker',
        ExpressionAttributeValues: { ':marker': '#applied' },
        ExclusiveStartKey,
      }),
    );
    for (const item of page.Items ?? [])
      times.set(item.series as string, Date.parse(item.appliedAt as string));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return times;
}

async function alertTimes(documents: DynamoDBDocumentClient, table: string, tenantId: string) {
  const { Items = [] } = await documents.send(
    new QueryCommand({
      TableName: table,
      KeyConditionExpression: 'tenantId = :tenant',
      ExpressionAttributeValues: { ':tenant': tenantId },
    }),
  );
  return new Map(Items.map((item) => [item.causeEventId as string, Date.parse(item.raisedAt as string)]));
}

/** Registers a demo agent in the tenant of `headers`' key (an admin's: it sets the initial score). */
async function register(apiUrl: string, headers: Record<string, string>, agentId: string): Promise<void> {
  const agent = DEMO_FLEET.find((candidate) => candidate.agentId === agentId)!;
  const response = await fetch(`${apiUrl}/v1/agents`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(demoAgentRegistration(agent)),
  });
  if (response.status !== 201)
    throw new Error(`registering ${agentId}: ${response.status} ${await response.text()}`);
}

function sleep(millis: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, millis));
}
