// The report pipeline in the sandbox with the local provider, measured as a client sees it and as AWS
// would bill it:
//   latency     POST /v1/workflows → SUCCEEDED seen by polling GET /v1/workflows/{id}, p50 and p99
//   AWS calls   requests counted at the sandbox's edge (DynamoDB, Step Functions, EventBridge, …), those of the
//               event consumers left out (bench/workflow-path-requests.ts). The status polls' own
//               requests are taken out (their cost is measured on a finished workflow), and the per-step
//               figure is the marginal cost of a step: (requests of a 3-step run − those of a 1-step run) ÷ 2,
//               so the workflow's fixed start and finish costs cancel. The local provider makes none.
// Baseline: the same workflow with 1 step, so the latency ratio says what each further gated step adds.
//
// Runs are paced to the tenant's rate limit (the default bucket refills 10 tokens a second; a gated step
// takes one): back to back, the bucket would run dry after ~15 runs and the gate's RateLimited retries
// (1 s backoff, extra reads) would be measured instead of the pipeline.
import { type RunningSandbox, startSandbox } from '../sandbox/index.ts';
import { authHeaders } from '../scripts/api-keys-client.ts';
import { firstSandboxKeys } from '../scripts/bootstrap-keys.ts';
import { seedDemoFleet } from '../scripts/demo-fleet.ts';
import { pollWorkflowUntilEnded, readWorkflow, startWorkflow } from '../scripts/workflow-client.ts';
import { synthesizedTrustgateApp } from '../test/e2e/support/synthesized-app.ts';
import { formatFigure, type LatencySummary, summarize } from './measure.ts';
import { workflowPathRequests } from './workflow-path-requests.ts';

const LATENCY_RUNS = 25;
const WARMUP_RUNS = 3;
const COUNTED_RUNS = 10;
/** Short enough that polling adds little to the measured latency, long enough not to load 2 cores. */
const POLL_INTERVAL_MS = 10;
/** The default tenant bucket's refill interval per token (10 a second). */
const MS_PER_STEP_TOKEN = 100;
const TASK = 'Write report on AI trends';

interface Workload {
  request: Record<string, unknown>;
  steps: number;
}

const REPORT: Workload = { request: { template: 'report', input: { task: TASK } }, steps: 3 };
const ONE_STEP: Workload = {
  request: {
    type: 'sequential',
    input: { task: TASK },
    steps: [{ name: 'research', agentId: 'research-agent', requiredTier: 'T3', intent: 'search_web' }],
  },
  steps: 1,
};

interface RunCost {
  /** AWS requests of one run by operation, status polls included. */
  perRun: Record<string, number>;
  pollsPerRun: number;
  /** AWS requests of one run, status polls excluded. */
  total: number;
}

export async function runPipelineBenchmark(): Promise<void> {
  const sandbox = await startSandbox({
    assembly: await synthesizedTrustgateApp(),
    edgePort: 0,
    apiPort: 0,
    quiet: true,
  });
  try {
    const apiUrl = sandbox.apiUrl!;
    const headers = authHeaders((await firstSandboxKeys(sandbox)).adminKey);
    await seedDemoFleet(apiUrl, headers);
    let polls = 0;
    /** Runs the workload to SUCCEEDED; resolves with its latency and the workflow's id. */
    const runOnce = async ({ request, steps }: Workload) => {
      const started = performance.now();
      const workflowId = await startWorkflow(apiUrl, request, headers);
      const workflow = await pollWorkflowUntilEnded(apiUrl, workflowId, {
        intervalMs: POLL_INTERVAL_MS,
        onRead: () => polls++,
        headers,
      });
      const millis = performance.now() - started;
      if (workflow.status !== 'SUCCEEDED') {
        throw new Error(`workflow ${workflowId} ended ${workflow.status}: ${JSON.stringify(workflow.error)}`);
      }
      await sleep(steps * MS_PER_STEP_TOKEN - millis);
      return { millis, workflowId };
    };
    const latency = async (workload: Workload): Promise<LatencySummary> => {
      for (let i = 0; i < WARMUP_RUNS; i++) await runOnce(workload);
      const millis = new Float64Array(LATENCY_RUNS);
      for (let i = 0; i < LATENCY_RUNS; i++) millis[i] = (await runOnce(workload)).millis;
      return summarize(millis);
    };

    const report = await latency(REPORT);
    const oneStep = await latency(ONE_STEP);

    const { workflowId: finished } = await runOnce(REPORT);
    const requestsPerPoll =
      totalOf(await countDuring(sandbox, COUNTED_RUNS, () => readWorkflow(apiUrl, finished, headers))) /
      COUNTED_RUNS;
    const costOf = async (workload: Workload): Promise<RunCost> => {
      polls = 0;
      const counts = await countDuring(sandbox, COUNTED_RUNS, () => runOnce(workload));
      const perRun = Object.fromEntries(
        Object.entries(counts).map(([operation, count]) => [operation, count / COUNTED_RUNS]),
      );
      const pollsPerRun = polls / COUNTED_RUNS;
      return { perRun, pollsPerRun, total: totalOf(perRun) - pollsPerRun * requestsPerPoll };
    };
    const threeSteps = await costOf(REPORT);
    const single = await costOf(ONE_STEP);
    const perStep = (threeSteps.total - single.total) / (REPORT.steps - ONE_STEP.steps);

    console.log('report pipeline (sandbox, local provider)');
    console.log(
      `  POST → SUCCEEDED p50: ${formatFigure(report.p50, 'ms')}, p99: ${formatFigure(report.p99, 'ms')} over ${report.samples} runs (goal p50 <= 500 ms); polled every ${POLL_INTERVAL_MS} ms`,
    );
    console.log(
      `  vs 1-step workflow p50: ${formatFigure(oneStep.p50, 'ms')}; ratio ${(report.p50 / oneStep.p50).toFixed(1)}x, ${formatFigure((report.p50 - oneStep.p50) / 2, 'ms')} per further gated step`,
    );
    console.log(
      `  AWS requests per gated step (marginal, counted at the edge): ${perStep.toFixed(2)} (goal <= 3 DynamoDB + 1 PutEvents beyond the provider call; the local provider makes none)`,
    );
    console.log(
      `  AWS requests per run, status polls excluded: report ${threeSteps.total.toFixed(1)}, 1-step ${single.total.toFixed(1)}; one status poll: ${requestsPerPoll.toFixed(1)}`,
    );
    console.log(
      `  per report run by operation (${threeSteps.pollsPerRun.toFixed(1)} status polls included): ${formatCounts(threeSteps.perRun)}`,
    );
  } finally {
    await sandbox.stop();
  }
}

async function countDuring(
  sandbox: RunningSandbox,
  times: number,
  run: () => Promise<unknown>,
): Promise<Record<string, number>> {
  sandbox.resetRequestCounts();
  for (let i = 0; i < times; i++) await run();
  return workflowPathRequests(sandbox);
}

function sleep(millis: number): Promise<void> {
  return millis > 0 ? new Promise((resolve) => setTimeout(resolve, millis)) : Promise.resolve();
}

function totalOf(counts: Record<string, number>): number {
  return Object.values(counts).reduce((sum, count) => sum + count, 0);
}

function formatCounts(counts: Record<string, number>): string {
  return Object.entries(counts)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([operation, count]) => `${operation} ${count.toFixed(1)}`)
    .join(', ');
}
