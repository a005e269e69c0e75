// `npm run bench [-- <name>]`: every benchmark (or the one named: gate, sandbox, pipeline, flows, events,
// protection, memory, start), one after another in one process, each printing its figures and its ratio
// against a baseline measured in the same run.
import { runEventsBenchmark } from './events.ts';
import { runFlowsBenchmark } from './flows.ts';
import { runGateDecisionBenchmark } from './gate-decision.ts';
import { runMemoryBenchmark } from './memory.ts';
import { runPipelineBenchmark } from './pipeline.ts';
import { runProtectionBenchmark } from './protection.ts';
import { runSandboxBenchmarks } from './sandbox.ts';
import { runStartBenchmark } from './start.ts';

const BENCHMARKS: Readonly<Record<string, () => unknown>> = {
  gate: runGateDecisionBenchmark,
  sandbox: runSandboxBenchmarks,
  pipeline: runPipelineBenchmark,
  flows: runFlowsBenchmark,
  events: runEventsBenchmark,
  protection: runProtectionBenchmark,
  memory: runMemoryBenchmark,
  start: runStartBenchmark,
};

const selected = process.argv[2];
if (selected !== undefined && !(selected in BENCHMARKS)) {
  console.error(
    `unknown benchmark "${selected}"; usage: npm run bench [-- ${Object.keys(BENCHMARKS).join(' | ')}]`,
  );
  process.exit(2);
}
const names = selected === undefined ? Object.keys(BENCHMARKS) : [selected];
for (const [index, name] of names.entries()) {
  if (index > 0) console.log();
  await BENCHMARKS[name]!();
}
