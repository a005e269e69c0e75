// `npm start` as a person meets it, started twice in this process through scripts/start.ts's startTrustgate
// (build, synth, emulators, deploy, keys, demo fleet; the process's own module loading is not in it):
// once without the warm-up (baseline) and once with it. For each: start → ready, then ready → the first
// `report` workflow SUCCEEDED (posted with the admin key in tenant `default`, as the "try:" hint does, polled
// every 50 ms), and a second report right after as the warm reference. Ports 0 and a temporary directory for
// the assembly, keys and logs: nothing of a running `npm start` (cdk.out/, .sandbox/, ports 3000/4566) is
// touched. The second start meets a warmer process and page cache (imports, esbuild, CDK): its build and
// synth phases are printed so that can be read off.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { authHeaders } from '../scripts/api-keys-client.ts';
import type { PhaseTiming } from '../scripts/start.ts';
import { pollWorkflowUntilEnded, startWorkflow } from '../scripts/workflow-client.ts';

interface StartRun {
  readyMs: number;
  firstReportMs: number;
  warmReportMs: number;
  phases: PhaseTiming[];
}

/** Posts a report workflow and waits for it to succeed: milliseconds from the POST to the poll that saw it. */
// Loaded when this benchmark runs: scripts/start.ts brings the CDK app, which the others do not need.
const start = () => import('../scripts/start.ts');

async function reportWorkflowMs(apiUrl: string, adminKey: string): Promise<number> {
  const { REPORT_WORKFLOW } = await start();
  const headers = authHeaders(adminKey);
  const posted = performance.now();
  const workflowId = await startWorkflow(apiUrl, REPORT_WORKFLOW, headers);
  const ended = await pollWorkflowUntilEnded(apiUrl, workflowId, {
    headers,
    intervalMs: 50,
    timeoutMs: 120_000,
  });
  if (ended.status !== 'SUCCEEDED')
    throw new Error(`report workflow ${workflowId} ended ${ended.status}: ${JSON.stringify(ended.error)}`);
  return performance.now() - posted;
}

async function measureStart(warmUp: boolean): Promise<StartRun> {
  const { startTrustgate } = await start();
  const dir = mkdtempSync(join(tmpdir(), 'trustgate-bench-start-'));
  try {
    const started = await startTrustgate({
      apiPort: 0,
      edgePort: 0,
      warmUp,
      stateDir: join(dir, 'state'),
      assemblyDir: join(dir, 'cdk.out'),
      output: { write: () => true },
    });
    try {
      if (warmUp && started.warmUp?.workflow.status !== 'SUCCEEDED')
        throw new Error(`the warm-up workflow ended ${started.warmUp?.workflow.status}`);
      const firstReportMs = await reportWorkflowMs(started.apiUrl, started.keys.adminKey);
      const warmReportMs = await reportWorkflowMs(started.apiUrl, started.keys.adminKey);
      return { readyMs: started.readyMs, firstReportMs, warmReportMs, phases: started.phases };
    } finally {
      await started.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export async function runStartBenchmark(): Promise<void> {
  const baseline = await measureStart(false);
  const warmed = await measureStart(true);
  console.log('npm start (in process, ports 0): start → ready, then ready → first report SUCCEEDED');
  for (const [label, run] of [
    ['without warm-up', baseline],
    ['with warm-up   ', warmed],
  ] as const) {
    console.log(
      `  ${label}  start → ready ${s(run.readyMs).padStart(7)}   ready → first report ${s(run.firstReportMs).padStart(6)}   (next report, warm: ${s(run.warmReportMs)})`,
    );
    console.log(`    ${run.phases.map((phase) => `${phase.phase} ${s(phase.ms)}`).join(', ')}`);
  }
  console.log(
    `  ratio (without / with warm-up): first report ${(baseline.firstReportMs / warmed.firstReportMs).toFixed(1)}x faster with it; start → ready ${(warmed.readyMs / baseline.readyMs).toFixed(2)}x as long; start → first report SUCCEEDED ${s(baseline.readyMs + baseline.firstReportMs)} vs ${s(warmed.readyMs + warmed.firstReportMs)}`,
  );
}
