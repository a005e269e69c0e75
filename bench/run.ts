// `npm run bench`: every benchmark, one after another in one process, each printing its figures and its
// ratio against a baseline measured in the same run.
import { runGateDecisionBenchmark } from './gate-decision.ts';
import { runPipelineBenchmark } from './pipeline.ts';
import { runSandboxBenchmarks } from './sandbox.ts';

runGateDecisionBenchmark();
console.log();
await runSandboxBenchmarks();
console.log();
await runPipelineBenchmark();
