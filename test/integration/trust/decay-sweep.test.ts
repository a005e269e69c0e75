// The decay sweep (functions/app/trust/decay-sweep.ts) against a real DynamoDB Local, with a recording
// EventPublisher and a chosen clock.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyTrustEvent } from '../../../functions/app/trust/apply-trust-event.ts';
import { sweepDecay } from '../../../functions/app/trust/decay-sweep.ts';
import { newEvent } from '../../../functions/core/events/event-envelope.ts';
import { MS_PER_DAY } from '../../../functions/core/trust/elapsed-days.ts';
import { effectiveScore } from '../../../functions/core/trust/trust-state.ts';
import type { AgentItem } from '../../../functions/data/agent-item.ts';
import { createAgent, getAgent } from '../../../functions/data/agents-repository.ts';
import { eventAnnouncer } from '../../../functions/events/event-announcer.ts';
import { testLambdaContext } from '../../support/http-api-event.ts';
import { type ApiTestEnvironment, startApiTestEnvironment } from '../api/api-test-environment.ts';
import { agentItem } from '../workflows/workflow-fleet.ts';
import { type RecordingPublisher, recordingPublisher } from './recording-publisher.ts';

const now = Date.UTC(2026, 11, 5, 12);
const thirtyDaysAgo = now - 30 * MS_PER_DAY;

let environment: ApiTestEnvironment;

beforeAll(async () => {
  environment = await startApiTestEnvironment('decay-sweep');
});

afterAll(async () => {
  await environment?.stop();
});

/** An announcer over the recording publisher that lets a failure through, so the test would see it. */
function announcing(publisher: RecordingPublisher) {
  return eventAnnouncer(publisher, (error) => {
    throw error;
  });
}

async function registered(tenantId: string, agentId: string, registeredAt: number): Promise<AgentItem> {
  const item = agentItem(
    tenantId,
    { agentId, role: 'research', actions: ['search_web'], score: 650, costPerCall: 0.02 },
    registeredAt,
  );
  await createAgent(environment.documents, environment.tables.agents, item);
  return item;
}

async function stored(tenantId: string, agentId: string): Promise<AgentItem> {
  const agent = await getAgent(environment.documents, environment.tables.agents, tenantId, agentId);
  if (!agent) throw new Error(`agent ${agentId} is missing`);
  return agent;
}

describe('decay sweep', () => {
  it("announces an idle agent's tier drop once, across tenants and pages, and nothing on the next sweep", async () => {
    const idleA = await registered('tenant-a', 'idle', thirtyDaysAgo);
    await registered('tenant-b', 'idle', thirtyDaysAgo);
    await registered('tenant-b', 'active', now - MS_PER_DAY);
    const publisher = recordingPublisher();
    const deps = {
      client: environment.documents,
      agentsTable: environment.tables.agents,
      announcer: announcing(publisher),
      clock: () => now,
      pageSize: 1,
    };

    expect(await sweepDecay(deps)).toEqual({ agents: 3, announced: 2 });

    const decayed = effectiveScore(idleA.trust, now);
    expect(decayed).toBeLessThan(500);
    const forTenantA = publisher.published.filter((event) => event.tenantId === 'tenant-a');
    expect(forTenantA.map((event) => [event.type, event.data])).toEqual([
      [
        'trust.changed',
        {
          agentId: 'idle',
          cause: 'decay',
          previousScore: 650,
          score: decayed,
          previousTier: 'T3',
          tier: 'T2',
        },
      ],
      [
        'trust.tier_changed',
        { agentId: 'idle', from: 'T3', to: 'T2', direction: 'demotion', score: decayed, cause: 'decay' },
      ],
    ]);
    expect(publisher.published.filter((event) => event.tenantId === 'tenant-b')).toHaveLength(2);
    expect(
      publisher.published.some((event) => (event.data as { agentId?: string }).agentId === 'active'),
    ).toBe(false);
    const afterA = await stored('tenant-a', 'idle');
    expect(afterA.trustAnnouncement).toEqual({ score: decayed, tier: 'T2', at: new Date(now).toISOString() });
    expect(afterA.version).toBe(idleA.version + 1);
    // Decay is announced, never stored: the trust state itself is untouched.
    expect(afterA.trust).toEqual(idleA.trust);

    const second = recordingPublisher();
    expect(await sweepDecay({ ...deps, announcer: announcing(second) })).toEqual({ agents: 3, announced: 0 });
    expect(second.published).toEqual([]);
    expect((await stored('tenant-a', 'idle')).version).toBe(afterA.version);
  });

  it('announces relative to what the trust calculator last announced', async () => {
    const tenantId = 'tenant-c';
    await registered(tenantId, 'worked-then-idle', thirtyDaysAgo);
    const calculatorPublisher = recordingPublisher();
    const workedAt = thirtyDaysAgo + MS_PER_DAY;
    await applyTrustEvent(
      {
        client: environment.documents,
        agentsTable: environment.tables.agents,
        publisher: calculatorPublisher,
        clock: () => workedAt,
      },
      newEvent('execution.succeeded', {
        tenantId,
        key: 'worked',
        occurredAt: workedAt,
        data: { agentId: 'worked-then-idle', agentTier: 'T3' },
      }),
    );
    const worked = await stored(tenantId, 'worked-then-idle');
    const announcedByCalculator = worked.trustAnnouncement!;
    expect(announcedByCalculator.score).toBeGreaterThan(650);

    const publisher = recordingPublisher();
    await sweepDecay({
      client: environment.documents,
      agentsTable: environment.tables.agents,
      announcer: announcing(publisher),
      clock: () => now,
    });

    const changed = publisher.published.find(
      (event) => event.tenantId === tenantId && event.type === 'trust.changed',
    );
    expect(changed?.data).toMatchObject({
      agentId: 'worked-then-idle',
      cause: 'decay',
      previousScore: announcedByCalculator.score,
      score: effectiveScore(worked.trust, now),
    });
  });

  it('runs from the scheduled handler and puts its announcements on the bus', async () => {
    await registered('tenant-h', 'idle-scheduled', Date.now() - 30 * MS_PER_DAY);
    const { handler } = await import('../../../functions/scheduled/decay-sweep.handler.ts');

    const summary = await handler({}, testLambdaContext);

    // The table holds the other tests' agents too; what matters here is this one was announced.
    expect(summary.agents).toBeGreaterThanOrEqual(1);
    expect(summary.announced).toBeGreaterThanOrEqual(1);
    const ofTenant = (all: Awaited<ReturnType<typeof environment.bus.captured>>) =>
      all.filter((event) => event.detail.tenantId === 'tenant-h');
    // Both go out in one PutEvents; the bus gives no order between the entries of one batch.
    const announced = ofTenant(await environment.bus.waitForEvents((all) => ofTenant(all).length >= 2));
    expect(announced.map((event) => [event['detail-type'], event.source]).sort()).toEqual([
      ['trust.changed', 'trustgate.trust'],
      ['trust.tier_changed', 'trustgate.trust'],
    ]);
    const tierChanged = announced.find((event) => event['detail-type'] === 'trust.tier_changed');
    expect(tierChanged!.detail.data).toMatchObject({
      agentId: 'idle-scheduled',
      from: 'T3',
      to: 'T2',
      cause: 'decay',
    });
  });
});
