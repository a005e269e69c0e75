// Memory through the gate (docs/backend.md "Memory"), against a real DynamoDB Local: a step that asks to
// remember its output leaves a memory of its agent in the result transaction; a later step of the same agent
// recalls it into the memory section of its context, within the token budget, and its proof names it.
import { randomUUID } from 'node:crypto';
import { BatchWriteCommand, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { GatedStepOutcome } from '../../../functions/app/gate/run-gated-step.ts';
import type { ExecutionInput } from '../../../functions/app/workflows/start-workflow.ts';
import type { StartWorkflowBody } from '../../../functions/app/workflows/start-workflow-request.ts';
import type { WorkflowItem } from '../../../functions/app/workflows/workflow-item.ts';
import {
  DEFAULT_BUDGET_CONFIG,
  MIN_RESPONSE_RESERVE_TOKENS,
} from '../../../functions/core/budget/budget-allocation.ts';
import { countTokens } from '../../../functions/core/budget/tokenizer.ts';
import { LocalEmbedder } from '../../../functions/core/memory/local-embedder.ts';
import { MAX_LONG_TERM_MEMORIES_PER_AGENT } from '../../../functions/core/memory/memory-limits.ts';
import { encodeVector } from '../../../functions/core/memory/vector-codec.ts';
import {
  agentKey,
  longTermMemoryId,
  longTermMemoryWrites,
  META_SLOT,
  memorySlot,
  type StoredMemory,
} from '../../../functions/data/memory-repository.ts';
import type { ProofItem } from '../../../functions/data/proofs-repository.ts';
import { MEMORY_BLOCK_HEADER, readMemoryBlock } from '../../../functions/providers/memory-block.ts';
import type { CompletionRequest } from '../../../functions/providers/provider.ts';
import { testLambdaContext } from '../../support/http-api-event.ts';
import { type ApiTestEnvironment, startApiTestEnvironment } from '../api/api-test-environment.ts';
import { STATE_MACHINE_ENVIRONMENT, type WorkflowStarter, workflowStarter } from './started-workflow.ts';
import { REPORT_FLEET, seedAgents } from './workflow-fleet.ts';

type Invoke<TResult> = (event: unknown, context: typeof testLambdaContext) => Promise<TResult>;

let environment: ApiTestEnvironment;
let gate: Invoke<GatedStepOutcome>;
let startedWorkflow: WorkflowStarter;
let LocalProvider: typeof import('../../../functions/providers/local-provider.ts').LocalProvider;

beforeAll(async () => {
  environment = await startApiTestEnvironment('step-memory');
  startedWorkflow = workflowStarter(environment);
  process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
  for (const [variable, arn] of Object.entries(STATE_MACHINE_ENVIRONMENT)) process.env[variable] = arn;
  ({ handler: gate } = (await import('../../../functions/workflow/gate.handler.ts')) as unknown as {
    handler: Invoke<GatedStepOutcome>;
  });
  ({ LocalProvider } = await import('../../../functions/providers/local-provider.ts'));
});

afterAll(async () => {
  await environment?.stop();
});

/** Runs every step of a started workflow through the gate, answering the requests the provider got. */
async function runSteps(execution: ExecutionInput): Promise<CompletionRequest[]> {
  const requests: CompletionRequest[] = [];
  const complete = LocalProvider.prototype.complete;
  const spy = vi.spyOn(LocalProvider.prototype, 'complete').mockImplementation(function (
    this: InstanceType<typeof LocalProvider>,
    request,
    signal,
  ) {
    requests.push(request);
    return complete.call(this, request, signal);
  });
  try {
    for (const [stepIndex, step] of execution.steps.entries()) {
      await gate(
        { workflowId: execution.workflowId, tenantId: execution.tenantId, stepIndex, agentId: step.agentId },
        testLambdaContext,
      );
    }
  } finally {
    spy.mockRestore();
  }
  return requests;
}

async function run(tenantId: string, body: StartWorkflowBody) {
  const execution = await startedWorkflow(tenantId, body);
  const requests = await runSteps(execution);
  return { requests, workflow: await workflowItem(execution.workflowId) };
}

async function workflowItem(workflowId: string): Promise<WorkflowItem> {
  const { Item } = await environment.documents.send(
    new GetCommand({ TableName: environment.tables.workflows, Key: { workflowId } }),
  );
  return Item as WorkflowItem;
}

async function proofItem(resultHash: string): Promise<ProofItem> {
  const { Item } = await environment.documents.send(
    new GetCommand({ TableName: environment.tables.proofs, Key: { resultHash } }),
  );
  return Item as ProofItem;
}

async function storedMemory(
  tenantId: string,
  agentId: string,
  slot: string,
): Promise<StoredMemory | undefined> {
  const { Item } = await environment.documents.send(
    new GetCommand({
      TableName: environment.tables.memory,
      Key: { agentKey: agentKey(tenantId, agentId), slot },
    }),
  );
  return Item as StoredMemory | undefined;
}

const REMEMBERING_REPORT = (task: string): StartWorkflowBody => ({
  template: 'report',
  input: { task },
  remember: { layer: 'long-term', importance: 0.7 },
});

describe('a report that remembers, and a related report that recalls', () => {
  const tenantId = 'memory-reports';
  let first: Awaited<ReturnType<typeof run>>;
  let second: Awaited<ReturnType<typeof run>>;

  beforeAll(async () => {
    await seedAgents(environment.documents, environment.tables.agents, tenantId, REPORT_FLEET);
    first = await run(tenantId, REMEMBERING_REPORT('Write report on AI trends in healthcare'));
    second = await run(tenantId, REMEMBERING_REPORT('Write report on AI trends in hospital diagnostics'));
  });

  it('remembers every step output as a long-term memory of its agent, in the result transaction', async () => {
    for (const step of first.workflow.steps) {
      expect(step.status).toBe('SUCCEEDED');
      const memoryId = longTermMemoryId(step.intentId!);
      expect(step.memory).toEqual({ recalled: [], remembered: { memoryId, layer: 'long-term' } });
      const memory = await storedMemory(tenantId, step.agentId!, memorySlot(memoryId)!);
      expect(memory).toMatchObject({
        memoryId,
        layer: 'long-term',
        text: step.output,
        importance: 0.7,
        source: { workflowId: first.workflow.workflowId, step: step.name, intentId: step.intentId },
        embedderId: new LocalEmbedder().embedderId,
        createdAt: step.completedAt,
      });
    }
    const meta = (await storedMemory(tenantId, 'research-agent', META_SLOT)) as
      | { longTermCount?: number }
      | undefined;
    expect(meta?.longTermCount).toBe(2); // the first run's and the second's
  });

  it("puts the first run's memories into the second run's context, and its proofs name them", async () => {
    for (const [index, step] of second.workflow.steps.entries()) {
      const earlier = longTermMemoryId(first.workflow.steps[index]!.intentId!);
      expect(step.memory?.recalled[0]).toBe(earlier);
      const { memories } = readMemoryBlock(second.requests[index]!.system);
      expect(memories[0]?.memoryId).toBe(earlier);
      expect(memories[0]?.text).toContain(first.workflow.steps[index]!.output!.split('\n')[0]);
      expect((await proofItem(step.proofHash!)).memoryIds).toEqual(step.memory?.recalled);
    }
    // The first run recalled nothing: its proofs carry no memory ids.
    expect((await proofItem(first.workflow.steps[0]!.proofHash!)).memoryIds).toBeUndefined();
    expect(first.requests[0]!.system).not.toContain(MEMORY_BLOCK_HEADER);
  });

  it('says in the output which memories it built on (the local provider)', () => {
    const research = second.workflow.steps[0]!;
    expect(research.output).toContain('## Recalled from memory');
    expect(research.output).toContain(`memory ${research.memory!.recalled[0]}`);
  });

  it("never recalls another tenant's memories, though the agent ids are the same", async () => {
    await seedAgents(environment.documents, environment.tables.agents, 'memory-other', REPORT_FLEET);
    const other = await run('memory-other', REMEMBERING_REPORT('Write report on AI trends in healthcare'));
    for (const step of other.workflow.steps) expect(step.memory?.recalled).toEqual([]);
  });
});

describe('memory bounds at the gate', () => {
  it('records the result without its memory when the agent is at the long-term bound, saying why', async () => {
    const tenantId = 'memory-full';
    await seedAgents(environment.documents, environment.tables.agents, tenantId, REPORT_FLEET);
    await environment.documents.send(
      new UpdateCommand({
        TableName: environment.tables.memory,
        Key: { agentKey: agentKey(tenantId, 'research-agent'), slot: META_SLOT },
        UpdateExpression: 'SET longTermCount = :full',
        ExpressionAttributeValues: { ':full': MAX_LONG_TERM_MEMORIES_PER_AGENT },
      }),
    );
    const { workflow } = await run(tenantId, REMEMBERING_REPORT('Write report on AI trends'));
    const [research, analysis] = workflow.steps;
    expect(research).toMatchObject({
      status: 'SUCCEEDED',
      memory: { notRemembered: 'memory_limit_reached' },
    });
    expect(research!.memory?.remembered).toBeUndefined();
    expect(
      await storedMemory(tenantId, 'research-agent', memorySlot(longTermMemoryId(research!.intentId!))!),
    ).toBeUndefined();
    // The other agents were below the bound.
    expect(analysis!.memory?.remembered?.layer).toBe('long-term');
  });

  it('remembers a short-term output with its TTL, and a step can opt out of the workflow’s remember', async () => {
    const tenantId = 'memory-short';
    await seedAgents(environment.documents, environment.tables.agents, tenantId, REPORT_FLEET);
    const { workflow } = await run(tenantId, {
      type: 'sequential',
      input: { task: 'Summarise the week in AI policy' },
      remember: { layer: 'short-term', importance: 0.3 },
      steps: [
        { name: 'research', agentId: 'research-agent', requiredTier: 'T3', intent: 'search_web' },
        {
          name: 'analysis',
          agentId: 'analysis-agent',
          requiredTier: 'T4',
          intent: 'process_data',
          remember: false,
        },
      ],
    });
    const [research, analysis] = workflow.steps;
    expect(research!.memory?.remembered).toEqual({ memoryId: 'st_1', layer: 'short-term' });
    const stored = await storedMemory(tenantId, 'research-agent', 'short#001');
    expect(stored?.expiresAt).toBe(Math.ceil((Date.parse(research!.completedAt!) + 24 * 3600 * 1000) / 1000));
    expect(analysis!.memory).toEqual({ recalled: [] });
    expect(analysis!.remember).toBeUndefined();
  });

  it('keeps the context within the token budget when the agent holds 10 000 memories', async () => {
    const tenantId = 'memory-many';
    const agentId = 'research-agent';
    await seedAgents(environment.documents, environment.tables.agents, tenantId, [REPORT_FLEET[0]!]);
    const task = 'Write report on quantum computing supply chains';
    const embedder = new LocalEmbedder();
    const now = Date.now();
    // 10 000 memories, 40 of them long (≈ 1 000 tokens) and about the task: together far over the 16K
    // memory section, so the budget's strategies must fit them.
    const texts = Array.from({ length: 10_000 }, (_, index) =>
      index % 250 === 0
        ? `Quantum computing supply chains note ${index}: ${'quantum computing supply chains depend on dilution refrigerators, isotopically pure silicon and rare helium-3. '.repeat(55)}`
        : `Note ${index} about ${['payroll', 'office plants', 'travel policy', 'the canteen menu'][index % 4]} from week ${index % 52}.`,
    );
    const vectors = await embedder.embed(texts);
    const items = texts.map(
      (text, index) =>
        longTermMemoryWrites(
          environment.tables.memory,
          {
            tenantId,
            agentId,
            layer: 'long-term',
            text,
            importance: index % 250 === 0 ? 1 : (index % 10) / 10,
            embedderId: embedder.embedderId,
            vector: encodeVector(vectors[index]!),
            createdAtMs: now - index * 60_000,
          },
          longTermMemoryId(randomUUID()),
        ).memory,
    );
    // As the memories API would have left it: the agent's count beside its memories.
    await writeAll([
      {
        agentKey: agentKey(tenantId, agentId),
        slot: META_SLOT,
        longTermCount: items.length,
      } as unknown as StoredMemory,
    ]);
    for (let start = 0; start < items.length; start += 25 * 8) {
      await Promise.all(
        Array.from({ length: 8 }, (_, batch) => items.slice(start + batch * 25, start + (batch + 1) * 25))
          .filter((batch) => batch.length > 0)
          .map((batch) => writeAll(batch)),
      );
    }

    const { workflow, requests } = await run(tenantId, {
      type: 'sequential',
      input: { task },
      steps: [{ name: 'research', agentId, requiredTier: 'T3', intent: 'search_web' }],
    });
    const [step] = workflow.steps;
    expect(step!.status).toBe('SUCCEEDED');
    const request = requests[0]!;
    const { memories } = readMemoryBlock(request.system);
    const memoryTokens = countTokens(request.system.slice(request.system.indexOf(MEMORY_BLOCK_HEADER)));
    expect(memoryTokens).toBeLessThanOrEqual(DEFAULT_BUDGET_CONFIG.memoryMaxTokens);
    const requestTokens =
      countTokens(request.system) +
      request.messages.reduce((sum, message) => sum + countTokens(message.content), 0);
    expect(requestTokens).toBeLessThanOrEqual(
      DEFAULT_BUDGET_CONFIG.totalTokens - Math.max(MIN_RESPONSE_RESERVE_TOKENS, request.maxTokens),
    );
    // The long notes won recall, and more of them were recalled than fit whole.
    expect(step!.memory!.recalled.length).toBeGreaterThan(0);
    expect(memories.length).toBeGreaterThan(0);
    const recalledText = step!.memory!.recalled.map((id) => items.find((item) => item.memoryId === id)!.text);
    expect(recalledText.every((text) => text.startsWith('Quantum computing supply chains note'))).toBe(true);
    expect(countTokens(recalledText.join('\n\n'))).toBeGreaterThan(DEFAULT_BUDGET_CONFIG.memoryMaxTokens);
  }, 180_000);
});

async function writeAll(items: StoredMemory[]): Promise<void> {
  let pending: Record<string, unknown>[] = items.map((Item) => ({ PutRequest: { Item } }));
  while (pending.length > 0) {
    const { UnprocessedItems } = await environment.documents.send(
      new BatchWriteCommand({ RequestItems: { [environment.tables.memory]: pending as never } }),
    );
    pending = (UnprocessedItems?.[environment.tables.memory] ?? []) as Record<string, unknown>[];
  }
}
