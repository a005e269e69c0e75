// The trust calculator (functions/app/trust/apply-trust-event.ts) against a real DynamoDB Local, with a
// recording EventPublisher.
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { breakerWrite } from '../../../functions/app/gate/gate-writes.ts';
import {
  applyTrustEvent,
  type TrustCalculatorDependencies,
} from '../../../functions/app/trust/apply-trust-event.ts';
import { UnknownAgentError } from '../../../functions/app/trust/unknown-agent-error.ts';
import type { EventData, EventType } from '../../../functions/core/events/event-catalog.ts';
import { newEvent, type TrustgateEvent } from '../../../functions/core/events/event-envelope.ts';
import { applyTrustSignal } from '../../../functions/core/trust/ledger.ts';
import { effectiveScore, OUTCOME_HISTORY_LIMIT } from '../../../functions/core/trust/trust-state.ts';
import type { AgentItem } from '../../../functions/data/agent-item.ts';
import { createAgent, getAgent } from '../../../functions/data/agents-repository.ts';
import { type ApiTestEnvironment, startApiTestEnvironment } from '../api/api-test-environment.ts';
import { agentItem } from '../workflows/workflow-fleet.ts';
import { type RecordingPublisher, recordingPublisher } from './recording-publisher.ts';

const TENANT = 'trust-calc';
const now = Date.UTC(2026, 11, 5, 12);

let environment: ApiTestEnvironment;

beforeAll(async () => {
  environment = await startApiTestEnvironment('trust-calc');
});

afterAll(async () => {
  await environment?.stop();
});

function calculator(publisher: RecordingPublisher): TrustCalculatorDependencies {
  return {
    client: environment.documents,
    agentsTable: environment.tables.agents,
    publisher,
    clock: () => now,
  };
}

async function registered(agentId: string, score: number): Promise<AgentItem> {
  const item = agentItem(
    TENANT,
    { agentId, role: 'research', actions: ['search_web'], score, costPerCall: 0.02 },
    now,
  );
  await createAgent(environment.documents, environment.tables.agents, item);
  return item;
}

async function stored(agentId: string): Promise<AgentItem> {
  const agent = await getAgent(environment.documents, environment.tables.agents, TENANT, agentId);
  if (!agent) throw new Error(`agent ${agentId} is missing`);
  return agent;
}

function signalEvent<T extends EventType>(type: T, key: string, data: EventData<T>): TrustgateEvent<T> {
  return newEvent(type, { tenantId: TENANT, key, occurredAt: now - 1000, data });
}

describe('trust calculator', () => {
  it('lowers the behavioral component and the score on a failure, announcing trust.changed', async () => {
    const before = await registered('failing', 650);
    const publisher = recordingPublisher();
    const failed = signalEvent('execution.failed', 'fail-1', {
      agentId: 'failing',
      agentTier: 'T3',
      errorCode: 'provider_failed',
    });

    const result = await applyTrustEvent(calculator(publisher), failed);

    const after = await stored('failing');
    expect(result.status).toBe('applied');
    expect(after.trust.components.behavioral).toBeLessThan(before.trust.components.behavioral);
    expect(after.trust.recentOutcomes).toEqual([{ at: now - 1000, outcome: 'failure', agentTierAtTime: 3 }]);
    const score = effectiveScore(after.trust, now);
    expect(score).toBeLessThan(650);
    expect(after.version).toBe(before.version + 1);
    expect(after.appliedTrustSignals?.map((applied) => applied.eventId)).toEqual([failed.eventId]);
    expect(after.trustAnnouncement).toEqual({ score, tier: 'T3', at: new Date(now).toISOString() });
    expect(publisher.published).toHaveLength(1);
    expect(publisher.published[0]).toMatchObject({
      type: 'trust.changed',
      tenantId: TENANT,
      occurredAt: new Date(now).toISOString(),
      data: {
        agentId: 'failing',
        cause: 'execution_outcome',
        previousScore: 650,
        score,
        previousTier: 'T3',
        tier: 'T3',
      },
    });
  });

  it("raises the score on a success, at the agent's current tier when the event names none", async () => {
    await registered('succeeding', 650);
    const publisher = recordingPublisher();
    const succeeded = signalEvent('execution.succeeded', 'ok-1', { agentId: 'succeeding', quality: 1 });

    await applyTrustEvent(calculator(publisher), succeeded);

    const after = await stored('succeeding');
    expect(after.trust.recentOutcomes).toEqual([
      { at: now - 1000, outcome: 'success', agentTierAtTime: 3, quality: 1 },
    ]);
    expect(after.trust.components.behavioral).toBeGreaterThan(0.5);
    const score = effectiveScore(after.trust, now);
    expect(score).toBeGreaterThan(650);
    expect(publisher.published.map((event) => [event.type, event.data])).toEqual([
      [
        'trust.changed',
        {
          agentId: 'succeeding',
          cause: 'execution_outcome',
          previousScore: 650,
          score,
          previousTier: 'T3',
          tier: 'T3',
        },
      ],
    ]);
  });

  it('announces trust.tier_changed when a failure crosses a tier boundary', async () => {
    const before = await registered('borderline', 701);
    const publisher = recordingPublisher();
    const failed = signalEvent('execution.failed', 'fail-border', {
      agentId: 'borderline',
      agentTier: 'T4',
      errorCode: 'injected_failure',
    });

    await applyTrustEvent(calculator(publisher), failed);

    const score = effectiveScore((await stored('borderline')).trust, now);
    // The model's own answer for the same signal, so the test follows the formula rather than a copy of it.
    const expected = applyTrustSignal(
      before.trust,
      { kind: 'execution_outcome', outcome: 'failure', at: now - 1000, agentTierAtTime: 4 },
      now,
    );
    expect(score).toBe(effectiveScore(expected.state, now));
    expect(score).toBeLessThan(700);
    expect(publisher.published.map((event) => event.type)).toEqual(['trust.changed', 'trust.tier_changed']);
    expect(publisher.published[1]).toMatchObject({
      type: 'trust.tier_changed',
      data: {
        agentId: 'borderline',
        from: 'T4',
        to: 'T3',
        direction: 'demotion',
        score,
        cause: 'execution_outcome',
      },
    });
    expect((await stored('borderline')).trustAnnouncement?.tier).toBe('T3');
  });

  it('lowers compliance on a violation and announces trust.violation', async () => {
    await registered('violating', 650);
    const publisher = recordingPublisher();
    const violation = signalEvent('compliance.violation', 'violation-1', {
      agentId: 'violating',
      severity: 'high',
    });

    await applyTrustEvent(calculator(publisher), violation);

    const after = await stored('violating');
    expect(after.trust.components.compliance).toBe(0.5);
    expect(after.trust.recentOutcomes).toEqual([]);
    expect(publisher.published.map((event) => event.type)).toEqual(['trust.violation', 'trust.changed']);
    expect(publisher.published[0]!.data).toEqual({
      agentId: 'violating',
      severity: 'high',
      previousCompliance: 1,
      compliance: 0.5,
    });
    expect(publisher.published[1]!.data).toMatchObject({ cause: 'violation', previousScore: 650 });
    expect((publisher.published[1]!.data as { score: number }).score).toBeLessThan(650);
  });

  it('applies an event id once, and publishes the very same events on redelivery', async () => {
    await registered('redelivered', 650);
    const first = recordingPublisher();
    const failed = signalEvent('execution.failed', 'fail-twice', { agentId: 'redelivered', errorCode: 'x' });

    expect((await applyTrustEvent(calculator(first), failed)).status).toBe('applied');
    const afterFirst = await stored('redelivered');
    const again = recordingPublisher();
    // Later, as a redelivery would be: the clock has moved, the result must not.
    const later = { ...calculator(again), clock: () => now + 60_000 };
    expect((await applyTrustEvent(later, failed)).status).toBe('already_applied');

    const afterSecond = await stored('redelivered');
    expect(afterSecond.version).toBe(afterFirst.version);
    expect(afterSecond.trust).toEqual(afterFirst.trust);
    expect(afterSecond.trust.recentOutcomes).toHaveLength(1);
    expect(again.published).toEqual(first.published);
    expect(first.published.length).toBeGreaterThan(0);
  });

  it('applies an event delivered five times at once exactly once', async () => {
    const before = await registered('racing-duplicates', 650);
    const publisher = recordingPublisher();
    const event = signalEvent('compliance.violation', 'dup-race', {
      agentId: 'racing-duplicates',
      severity: 'low',
    });

    const results = await Promise.all(
      Array.from({ length: 5 }, () => applyTrustEvent(calculator(publisher), event)),
    );

    expect(results.map((result) => result.status).sort()).toEqual([
      'already_applied',
      'already_applied',
      'already_applied',
      'already_applied',
      'applied',
    ]);
    const after = await stored('racing-duplicates');
    expect(after.version).toBe(before.version + 1);
    expect(after.trust.components.compliance).toBe(0.9);
  });

  it('applies 50 concurrent signals for one agent exactly once each', async () => {
    const before = await registered('busy', 650);
    const publisher = recordingPublisher();
    const deps = calculator(publisher);
    const successes = Array.from({ length: 50 }, (_, index) =>
      newEvent('execution.succeeded', {
        tenantId: TENANT,
        key: `busy-${index}`,
        occurredAt: now - 60_000 + index,
        data: { agentId: 'busy', agentTier: 'T3' },
      }),
    );

    const results = await Promise.all(successes.map((event) => applyTrustEvent(deps, event)));

    expect(results.every((result) => result.status === 'applied')).toBe(true);
    const after = await stored('busy');
    expect(after.version).toBe(before.version + 50);
    expect(after.trust.recentOutcomes).toHaveLength(Math.min(50, OUTCOME_HISTORY_LIMIT));
    expect(new Set(after.trust.recentOutcomes.map((outcome) => outcome.at)).size).toBe(50);
    expect(new Set(after.appliedTrustSignals?.map((applied) => applied.eventId))).toEqual(
      new Set(successes.map((event) => event.eventId)),
    );
    const publishedIds = publisher.published.map((event) => event.eventId);
    expect(new Set(publishedIds).size).toBe(publishedIds.length);

    const replays = await Promise.all(successes.slice(0, 10).map((event) => applyTrustEvent(deps, event)));
    expect(replays.every((result) => result.status === 'already_applied')).toBe(true);
    const afterReplay = await stored('busy');
    expect(afterReplay.version).toBe(after.version);
    expect(afterReplay.trust).toEqual(after.trust);
  });

  it("applies every signal while the gate writes the same agent's breaker under the same lock", async () => {
    const before = await registered('contended', 650);
    const publisher = recordingPublisher();
    const signals = Array.from({ length: 20 }, (_, index) =>
      signalEvent('execution.succeeded', `contended-${index}`, { agentId: 'contended' }),
    );

    await Promise.all([
      ...signals.map((event) => applyTrustEvent(calculator(publisher), event)),
      ...Array.from({ length: 20 }, (_, index) => gateBreakerWrite('contended', now + index)),
    ]);

    const after = await stored('contended');
    expect(after.version).toBe(before.version + 40);
    expect(after.trust.recentOutcomes).toHaveLength(20);
    expect(after.appliedTrustSignals).toHaveLength(20);
    expect(after.breaker.probeRound).toBe(before.breaker.probeRound + 20);
  });

  it('fails with the agent and tenant named for an agent that is not registered, and applies after it is', async () => {
    const publisher = recordingPublisher();
    const event = signalEvent('execution.succeeded', 'ok-unknown', { agentId: 'not-yet' });

    const failure = applyTrustEvent(calculator(publisher), event);
    await expect(failure).rejects.toBeInstanceOf(UnknownAgentError);
    await expect(failure).rejects.toThrow(/agent "not-yet".*tenant "trust-calc"/);
    expect(publisher.published).toEqual([]);

    await registered('not-yet', 650);
    expect((await applyTrustEvent(calculator(publisher), event)).status).toBe('applied');
    expect((await stored('not-yet')).trust.recentOutcomes).toHaveLength(1);
  });

  it('ignores events that are not trust signals', async () => {
    const before = await registered('bystander', 650);
    const publisher = recordingPublisher();
    const opened = signalEvent('circuit.opened', 'circuit-1', { agentId: 'bystander', reason: 'failures' });

    expect(await applyTrustEvent(calculator(publisher), opened)).toEqual({ status: 'ignored' });
    expect((await stored('bystander')).version).toBe(before.version);
    expect(publisher.published).toEqual([]);
  });
});

/** The gate's own breaker write (gate-writes.ts), retried on a lost lock as the gate does. */
async function gateBreakerWrite(agentId: string, at: number): Promise<void> {
  for (let attempt = 1; attempt <= 200; attempt++) {
    const agent = await stored(agentId);
    // A change the test can count afterwards: none of the breaker writes may be lost either.
    const breaker = { ...agent.breaker, probeRound: agent.breaker.probeRound + 1 };
    try {
      await environment.documents.send(
        new TransactWriteCommand({
          TransactItems: [
            breakerWrite(environment.tables.agents, agent, breaker, new Date(at).toISOString()),
          ],
        }),
      );
      return;
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20));
    }
  }
  throw new Error(`the breaker write of ${agentId} kept losing the lock`);
}
