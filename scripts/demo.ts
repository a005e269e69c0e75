// `npm run demo [-- <scenario>]`: runs a seed scenario against a running trustgate (`npm start`, or any
// deployment: API_URL) and narrates it: each step as it completes (agent, tier, decision, tokens, time),
// then the outcome and the final text. Scenario `report` (the default): "Write report on AI trends"
// through research → analysis → writing.
import {
  pollWorkflowUntilEnded,
  type StepView,
  startWorkflow,
  stepTokens,
  type WorkflowView,
} from './workflow-client.ts';

interface Scenario {
  title: string;
  request: Record<string, unknown>;
}

const SCENARIOS: Readonly<Record<string, Scenario>> = {
  report: {
    title: 'Write report on AI trends: research → analysis → writing, each step trust-gated',
    request: { template: 'report', input: { task: 'Write report on AI trends' } },
  },
};

const POLL_INTERVAL_MS = 100;

const apiUrl = process.env.API_URL ?? `http://127.0.0.1:${process.env.PORT ?? 3000}`;

function stepLine(step: StepView): string {
  const mark = step.status === 'SUCCEEDED' ? '✓' : '✗';
  const tokens = stepTokens(step);
  return [
    `${mark} ${step.name.padEnd(9)}`,
    step.agentId.padEnd(15),
    (step.agentTier ?? '--').padEnd(3),
    (step.decision ?? '--').padEnd(8),
    tokens === undefined ? '' : `${tokens} tokens`.padEnd(12),
    step.durationMs === null ? '' : `${step.durationMs} ms`,
  ]
    .join(' ')
    .trimEnd();
}

async function apiAnswers(): Promise<boolean> {
  try {
    await fetch(`${apiUrl}/v1/agents`, { signal: AbortSignal.timeout(3_000) });
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

async function main(): Promise<number> {
  const name = process.argv[2] ?? 'report';
  const scenario = SCENARIOS[name];
  if (!scenario) {
    console.error(`unknown scenario "${name}"; available: ${Object.keys(SCENARIOS).join(', ')}`);
    return 2;
  }
  if (!(await apiAnswers())) {
    console.error(`nothing answers at ${apiUrl}: start it with npm start (or set API_URL)`);
    return 1;
  }
  console.log(`${scenario.title}\n`);
  const workflowId = await startWorkflow(apiUrl, scenario.request);
  console.log(`workflow ${workflowId}`);
  const printed = new Set<number>();
  const workflow = await pollWorkflowUntilEnded(apiUrl, workflowId, {
    intervalMs: POLL_INTERVAL_MS,
    onRead: (current) => {
      current.steps.forEach((step, index) => {
        if ((step.status === 'SUCCEEDED' || step.status === 'FAILED') && !printed.has(index)) {
          printed.add(index);
          console.log(stepLine(step));
        }
      });
    },
  });
  printOutcome(workflow);
  return workflow.status === 'SUCCEEDED' ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`demo: ${(error as Error).message}`);
    process.exit(1);
  },
);
