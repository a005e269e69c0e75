// `npm run demo [-- <scenario>]`: runs a scenario against a running trustgate (`npm start`, or any
// deployment: API_URL) and narrates it as it goes. Each run has a tenant of its own, its keys made with the
// platform admin key (TRUSTGATE_PLATFORM_KEY, else the .sandbox/platform-key `npm start` wrote), and the
// demo fleet registered afresh: trust moves after every step (the trust calculator), so a fleet reused across runs
// would no longer have the seed's tiers the scenarios are written for. After the run it shows how the
// agents' trust moved.
//   report      "Write report on AI trends" through research → analysis → writing (the default)
//   parallel    three sub-tasks at once, each gated, aggregated into one result
//   routing     the same role-routed workflow under the cost and then the quality preference
//   escalation  a T2 agent asked for T3 work waits for a reviewer; a short SLA raises it to level 2,
//               where a level-2 reviewer approves
//   saga        reserve → process → commit with commit failing: the succeeded steps are undone in reverse
//   memory      two reports on related topics: the first remembers each step's output, the second recalls
//               those memories into its steps' context, says which it built on, and its proofs name them
import { randomUUID } from 'node:crypto';
import { allRolesKey, authHeaders, createApiKey, localKey } from './api-keys-client.ts';
import { seedDemoFleet } from './demo-fleet.ts';
import {
  approveEscalation,
  type EscalationView,
  listEscalations,
  pollEscalation,
  pollWorkflowUntilEnded,
  pollWorkflowUntilStatus,
  type StepView,
  startWorkflow,
  stepTokens,
  type WorkflowView,
} from './workflow-client.ts';

interface Scenario {
  title: string;
  run: () => Promise<WorkflowView>;
  /** The status the scenario is meant to end in (the saga's is COMPENSATED). */
  expected: WorkflowView['status'];
}

const POLL_INTERVAL_MS = 100;
/** The escalation scenario's SLA: short enough to watch it expire, long enough to read the output. */
const DEMO_SLA_SECONDS = 5;
/** The escalation scenario's reviewer: a key of the run's tenant with the reviewer role at level 2. */
const DEMO_REVIEWER = { level: 2, name: 'demo-reviewer', comment: 'reviewed in the demo' };

const apiUrl = process.env.API_URL ?? `http://127.0.0.1:${process.env.PORT ?? 3000}`;
/** This run's tenant's key (set in main): every request of the scenario carries it. */
let headers: Record<string, string> = {};
let platformKey = '';
let tenantId = '';

const SCENARIOS: Readonly<Record<string, Scenario>> = {
  report: {
    title: 'Write report on AI trends: research → analysis → writing, each step trust-gated',
    expected: 'SUCCEEDED',
    run: () => narrate({ template: 'report', input: { task: 'Write report on AI trends' } }),
  },
  parallel: {
    title: 'Assess the AI chip market: market, figures and risks at once, each gated, then aggregated',
    expected: 'SUCCEEDED',
    run: runParallel,
  },
  routing: {
    title: 'Trust-based routing: steps name the role "general"; the preference picks the agent',
    expected: 'SUCCEEDED',
    run: runRouting,
  },
  escalation: {
    title: `Human escalation: writing-agent (T2) asked for T3 work, SLA ${DEMO_SLA_SECONDS} s per level`,
    expected: 'SUCCEEDED',
    run: runEscalation,
  },
  saga: {
    title: 'Saga: reserve-budget → process → commit, commit fails, the rest is undone in reverse',
    expected: 'COMPENSATED',
    run: runSaga,
  },
  memory: {
    title: 'Active memory: a report remembers what each agent produced; a related report recalls it',
    expected: 'SUCCEEDED',
    run: runMemory,
  },
};

const MEMORY_TASKS = [
  'Write report on AI trends in healthcare',
  'Write report on AI trends in hospital diagnostics',
] as const;

const USAGE = `usage: npm run demo -- [${Object.keys(SCENARIOS).join(' | ')}]`;

/** Succeeded ✓, undone by a compensation ↺, anything else ✗. */
const STATUS_MARKS: Readonly<Partial<Record<StepView['status'], string>>> = {
  SUCCEEDED: '✓',
  COMPENSATED: '↺',
};

function stepLine(step: StepView): string {
  const mark = STATUS_MARKS[step.status] ?? '✗';
  const tokens = stepTokens(step);
  return [
    `${mark} ${step.name.padEnd(14)}`,
    (step.agentId ?? '--').padEnd(15),
    (step.agentTier ?? '--').padEnd(3),
    (step.decision ?? '--').padEnd(8),
    tokens === undefined ? '' : `${tokens} tokens`.padEnd(12),
    step.durationMs === null ? '' : `${step.durationMs} ms`.padEnd(8),
    step.error ? `${step.error.code}: ${step.error.message}` : '',
  ]
    .join(' ')
    .trimEnd();
}

/** A progress printer for polling: the workflow's status when it changes, each step once it has ended. */
function progressPrinter(): (workflow: WorkflowView) => void {
  let lastStatus: string | undefined;
  const printed = new Set<string>();
  return (workflow) => {
    for (const step of workflow.steps) {
      if ((step.status === 'SUCCEEDED' || step.status === 'FAILED') && !printed.has(step.name)) {
        printed.add(step.name);
        console.log(stepLine(step));
      }
    }
    if (workflow.status !== lastStatus) {
      lastStatus = workflow.status;
      console.log(`  … ${workflow.status}`);
    }
  };
}

/** Starts the workflow and polls it to its end, printing progress. */
async function narrate(request: Record<string, unknown>): Promise<WorkflowView> {
  const workflowId = await startWorkflow(apiUrl, request, headers);
  console.log(`workflow ${workflowId}`);
  return pollWorkflowUntilEnded(apiUrl, workflowId, {
    intervalMs: POLL_INTERVAL_MS,
    onRead: progressPrinter(),
    headers,
  });
}

async function runParallel(): Promise<WorkflowView> {
  // One line per sub-task: the decomposer gives each step its line (docs/backend.md, decompose).
  const task = [
    '- Size the AI chip market and its growth',
    '- Pull the key figures: revenue, units and margins of the leaders',
    '- Review the risks: supply chain, export controls, concentration',
  ].join('\n');
  const workflow = await narrate({ template: 'parallel', input: { task } });
  console.log('\nsub-tasks');
  for (const step of workflow.steps) {
    console.log(`  ${step.name.padEnd(8)} ${(step.agentId ?? '--').padEnd(15)} ${step.decision ?? '--'}`);
    if (step.subtask) console.log(`           ${step.subtask.split('\n')[0]}`);
  }
  if (workflow.result !== null) {
    const names = new Set(workflow.steps.map((step) => step.name));
    const headings = workflow.result
      .split('\n')
      .filter((line) => line.startsWith('## ') && names.has(line.slice(3)));
    console.log(`\naggregated result: ${workflow.result.length} characters under ${headings.join(', ')}`);
  }
  console.log(`gaps: ${workflow.gaps?.length ? workflow.gaps.join(', ') : 'none'}`);
  return workflow;
}

async function runRouting(): Promise<WorkflowView> {
  let last: WorkflowView | undefined;
  for (const preference of ['cost', 'quality'] as const) {
    console.log(`\npreference ${preference}`);
    const workflow = await narrate({
      template: 'routing',
      input: { task: 'Summarize the state of AI agents' },
      preference,
    });
    let total = 0;
    for (const step of workflow.steps) {
      total += step.costUsd ?? 0;
      const cost = step.costUsd === null ? '--' : `$${step.costUsd.toFixed(2)}`;
      console.log(
        `  ${step.name} → ${step.agentId ?? 'nobody'} (${step.agentTier ?? '--'}, ${cost} per call)`,
      );
      if (step.routing) console.log(`    ${step.routing.reason}`);
    }
    console.log(`  total $${total.toFixed(2)}`);
    if (workflow.status !== 'SUCCEEDED') return workflow;
    last = workflow;
  }
  return last!;
}

function escalationLine(escalation: EscalationView): string {
  return `${escalation.escalationId} step ${escalation.step}, ${escalation.agentId} (${escalation.agentTier ?? '--'}) asks for ${escalation.requiredTier}: level ${escalation.level} of ${escalation.maxLevel}, deadline ${escalation.deadline}`;
}

async function runEscalation(): Promise<WorkflowView> {
  const workflowId = await startWorkflow(
    apiUrl,
    {
      template: 'escalation',
      input: { task: 'Draft a note on AI regulation' },
      escalation: { slaSeconds: DEMO_SLA_SECONDS, maxLevel: 3 },
    },
    headers,
  );
  console.log(`workflow ${workflowId}`);
  const progress = progressPrinter();
  await pollWorkflowUntilStatus(apiUrl, workflowId, 'WAITING_APPROVAL', {
    intervalMs: POLL_INTERVAL_MS,
    onRead: progress,
    headers,
  });
  const first = await pollEscalation(apiUrl, workflowId, { headers });
  console.log(`\npending escalation: ${escalationLine(first)}`);
  for (const reason of first.reasons) console.log(`  - ${reason}`);
  console.log(`\nnobody answers; waiting for the ${DEMO_SLA_SECONDS} s SLA to expire …`);
  const raised = await pollEscalation(apiUrl, workflowId, {
    wanted: (escalation) => escalation.level >= 2,
    headers,
  });
  const timedOut = (await listEscalations(apiUrl, 'TIMED_OUT', headers)).find(
    (escalation) => escalation.escalationId === first.escalationId,
  );
  console.log(`level ${first.level}: ${timedOut?.status ?? 'TIMED_OUT'}`);
  console.log(`raised:  ${escalationLine(raised)}`);
  const reviewer = await createApiKey(apiUrl, platformKey, {
    tenantId,
    name: DEMO_REVIEWER.name,
    roles: ['reviewer'],
    reviewerLevel: DEMO_REVIEWER.level,
  });
  const approved = await approveEscalation(
    apiUrl,
    raised.escalationId,
    { comment: DEMO_REVIEWER.comment },
    authHeaders(reviewer.key),
  );
  console.log(
    `\n${approved.status} by ${approved.reviewer} (level ${approved.reviewerLevel}): ${approved.comment ?? ''}\n`,
  );
  const workflow = await pollWorkflowUntilEnded(apiUrl, workflowId, {
    intervalMs: POLL_INTERVAL_MS,
    onRead: progress,
    headers,
  });
  const approval = workflow.steps.find((step) => step.approval)?.approval;
  if (approval) {
    console.log(
      `\nstep approved at level ${approval.level} by ${approval.reviewer} (level ${approval.reviewerLevel}) at ${approval.approvedAt}`,
    );
  }
  return workflow;
}

async function runSaga(): Promise<WorkflowView> {
  const workflow = await narrate({
    template: 'saga',
    input: { task: 'Run the quarterly batch job', failAt: 'commit' },
  });
  const compensated = workflow.steps
    .filter((step) => step.compensation !== null)
    .sort((a, b) => a.compensation!.order - b.compensation!.order);
  console.log('\ncompensations, in the order they ran');
  for (const step of compensated) {
    console.log(stepLine(step));
    console.log(
      `    #${step.compensation!.order} ${step.compensation!.action} (${step.compensation!.compensatedAt})`,
    );
  }
  if (compensated.length === 0) console.log('  none');
  return workflow;
}

async function runMemory(): Promise<WorkflowView> {
  const remember = { layer: 'long-term', importance: 0.7 };
  console.log(`first report: "${MEMORY_TASKS[0]}", every step remembered (long-term, importance 0.7)`);
  const first = await narrate({ template: 'report', input: { task: MEMORY_TASKS[0] }, remember });
  for (const step of first.steps) {
    console.log(
      `  ${step.agentId} remembered ${step.memory?.remembered?.memoryId ?? step.memory?.notRemembered}`,
    );
  }
  console.log(`\nsecond report: "${MEMORY_TASKS[1]}"`);
  const second = await narrate({ template: 'report', input: { task: MEMORY_TASKS[1] }, remember });
  console.log('\nwhat each step recalled (best first) — the same ids are on its proof');
  for (const step of second.steps) {
    const recalled = step.memory?.recalled ?? [];
    const reused = recalled.filter((id) =>
      first.steps.some((earlier) => earlier.memory?.remembered?.memoryId === id),
    );
    console.log(
      `  ${(step.agentId ?? '--').padEnd(15)} ${recalled.length} recalled, ${reused.length} from the first report: ${recalled.join(', ') || 'none'}`,
    );
  }
  const research = second.steps[0]?.output ?? '';
  const recalledSection = research.slice(research.indexOf('## Recalled from memory'));
  if (research.includes('## Recalled from memory'))
    console.log(`\nresearch-agent's answer ends with\n${recalledSection}`);
  return second;
}

async function apiAnswers(): Promise<boolean> {
  try {
    await fetch(`${apiUrl}/health`, { signal: AbortSignal.timeout(3_000) });
    return true;
  } catch {
    return false;
  }
}

function printOutcome(workflow: WorkflowView): void {
  console.log(`\n${workflow.status}`);
  if (workflow.error) {
    const where = workflow.error.step ? ` at step ${workflow.error.step}` : '';
    console.log(`${workflow.error.code}${where}: ${workflow.error.message}`);
  }
  if (workflow.result !== null) console.log(`\n${workflow.result}`);
}

/**
 * How the trust of the agents that ran moved: the trust calculator applies each step's outcome shortly
 * after the step, off the bus, so this waits (a few seconds at most) until every agent's score has moved.
 */
async function printTrustMoves(
  workflow: WorkflowView,
  before: ReadonlyMap<string, { tier: string; score: number }>,
): Promise<void> {
  const agentIds = [
    ...new Set(workflow.steps.filter((step) => step.intentId !== null).map((step) => step.agentId)),
  ].filter((agentId): agentId is string => agentId !== null && before.has(agentId));
  if (agentIds.length === 0) return;
  const deadline = Date.now() + 10_000;
  let now = new Map<string, { tier: string; score: number }>();
  do {
    await new Promise((resolve) => setTimeout(resolve, 250));
    now = new Map(
      await Promise.all(
        agentIds.map(async (agentId) => {
          const response = await fetch(`${apiUrl}/v1/agents/${agentId}`, { headers });
          return [agentId, (await response.json()) as { tier: string; score: number }] as const;
        }),
      ),
    );
  } while (agentIds.some((id) => now.get(id)?.score === before.get(id)!.score) && Date.now() < deadline);
  console.log('\ntrust after the run (the trust calculator applied each outcome from the bus)');
  for (const agentId of agentIds) {
    const was = before.get(agentId)!;
    const is = now.get(agentId)!;
    const delta = is.score - was.score;
    console.log(
      `  ${agentId.padEnd(15)} ${was.tier} ${was.score.toFixed(0).padStart(4)} → ${is.tier} ${is.score.toFixed(0).padStart(4)}  (${delta >= 0 ? '+' : ''}${delta.toFixed(1)})`,
    );
  }
}

async function main(): Promise<number> {
  const name = process.argv[2] ?? 'report';
  const scenario = SCENARIOS[name];
  if (!scenario) {
    console.error(`unknown scenario "${name}"\n${USAGE}`);
    return 2;
  }
  if (!(await apiAnswers())) {
    console.error(`nothing answers at ${apiUrl}: start it with npm start (or set API_URL)`);
    return 1;
  }
  platformKey = localKey('platform-key', 'TRUSTGATE_PLATFORM_KEY');
  tenantId = `demo-${name}-${randomUUID().slice(0, 8)}`;
  headers = authHeaders(await allRolesKey(apiUrl, platformKey, tenantId));
  const fleet = await seedDemoFleet(apiUrl, headers);
  console.log(`${scenario.title}\ntenant ${tenantId}, the demo fleet registered afresh\n`);
  const workflow = await scenario.run();
  printOutcome(workflow);
  await printTrustMoves(workflow, new Map(fleet.map((agent) => [agent.agentId, agent])));
  return workflow.status === scenario.expected ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`demo: ${(error as Error).message}`);
    process.exit(1);
  },
);
