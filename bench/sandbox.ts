// The sandbox's own costs: start-up of the whole fixture app to its first answered API call, the Lambda
// runtime's overhead on a warm no-op (baseline: calling the handler directly), and a six-state Lambda
// pipeline through the Step Functions service (baseline: aws-local-stepfunctions' raw engine running the
// same definition with the same handler called in-process).
import { StateMachine } from 'aws-local-stepfunctions';
import type { LambdaFunctionSpec } from '../sandbox/contracts.ts';
import { readCloudAssembly } from '../sandbox/deploy/cloud-assembly.ts';
import { resolveIntrinsics } from '../sandbox/deploy/intrinsic-functions.ts';
import { startSandbox } from '../sandbox/index.ts';
import { createLambdaRuntime } from '../sandbox/lambda/runtime.ts';
import { createStepFunctionsService } from '../sandbox/stepfunctions/service.ts';
import { FIXTURE_REGION, FIXTURE_STACK_NAME } from '../test/fixtures/sandbox-app/app.ts';
import { synthesizedFixtureAssembly } from '../test/fixtures/sandbox-app/synthesized-fixture.ts';
import { formatFigure, sampleMillisAsync } from './measure.ts';

const FUNCTIONS_DIR = new URL('../test/fixtures/sandbox-app/functions/', import.meta.url);
const INVOKES = 2_000;
const PIPELINE_RUNS = 200;

type Handler = (event: unknown) => Promise<unknown>;
type LocalTaskHandlers = NonNullable<
  NonNullable<NonNullable<Parameters<StateMachine['run']>[1]>['overrides']>['taskResourceLocalHandlers']
>;

async function importHandler(file: string): Promise<Handler> {
  return ((await import(new URL(file, FUNCTIONS_DIR).href)) as { handler: Handler }).handler;
}

function functionSpec(name: string, file: string): LambdaFunctionSpec {
  return {
    logicalId: name,
    functionName: name,
    arn: `arn:aws:lambda:${FIXTURE_REGION}:000000000000:function:${name}`,
    codeDir: new URL('.', FUNCTIONS_DIR).pathname,
    handler: `${file}.handler`,
    runtime: 'nodejs22.x',
    environment: {},
    timeoutSeconds: 3,
    memorySizeMb: 128,
  };
}

async function startUpToFirstApiCall(assembly: string): Promise<number> {
  const started = process.hrtime.bigint();
  const sandbox = await startSandbox({ assembly, edgePort: 0, apiPort: 0, quiet: true });
  try {
    const response = await fetch(`${sandbox.apiUrl}/ping`);
    if (response.status !== 200) throw new Error(`GET /ping answered ${response.status}`);
    return Number(process.hrtime.bigint() - started) / 1e6;
  } finally {
    await sandbox.stop();
  }
}

async function warmInvokeOverhead(): Promise<{ runtime: number; direct: number }> {
  const lambda = createLambdaRuntime({
    endpoints: { edgeUrl: 'http://127.0.0.1:9', region: FIXTURE_REGION },
    log: () => {},
  });
  try {
    await lambda.deploy(functionSpec('noop', 'noop'));
    const noop = await importHandler('noop.mjs');
    const viaRuntime = await sampleMillisAsync(() => lambda.invoke('noop', '{}'), INVOKES, 50);
    const direct = await sampleMillisAsync(
      async () => JSON.stringify(await noop(JSON.parse('{}'))),
      INVOKES,
      50,
    );
    return { runtime: viaRuntime.p50, direct: direct.p50 };
  } finally {
    await lambda.close();
  }
}

/** The fixture's Pipeline definition, its function references resolved to `functionArn`. */
async function pipelineDefinition(assembly: string, functionArn: string): Promise<Record<string, unknown>> {
  const stack = (await readCloudAssembly(assembly)).find(
    (candidate) => candidate.stackName === FIXTURE_STACK_NAME,
  )!;
  const [, resource] = Object.entries(stack.template.Resources ?? {}).find(
    ([logicalId, candidate]) =>
      candidate.Type === 'AWS::StepFunctions::StateMachine' && logicalId.startsWith('Pipeline'),
  )!;
  const definition = resolveIntrinsics(resource.Properties?.DefinitionString, {
    stackName: stack.stackName,
    region: FIXTURE_REGION,
    accountId: '000000000000',
    template: stack.template,
    resourceRef: () => functionArn,
    resourceAttribute: () => functionArn,
    importValue: () => undefined,
  });
  return JSON.parse(String(definition)) as Record<string, unknown>;
}

async function pipelineRuns(assembly: string): Promise<{ sandbox: number; rawEngine: number }> {
  const spec = functionSpec('pipeline-step', 'pipeline-step');
  const definition = await pipelineDefinition(assembly, spec.arn);
  const lambda = createLambdaRuntime({
    endpoints: { edgeUrl: 'http://127.0.0.1:9', region: FIXTURE_REGION },
    log: () => {},
  });
  const stepFunctions = createStepFunctionsService({
    endpoints: { edgeUrl: 'http://127.0.0.1:9', region: FIXTURE_REGION },
    lambda,
  });
  try {
    await lambda.deploy(spec);
    const { stateMachineArn } = (await stepFunctions.handle('CreateStateMachine', {
      name: 'pipeline',
      definition: JSON.stringify(definition),
      roleArn: 'arn:aws:iam::000000000000:role/pipeline',
    })) as { stateMachineArn: string };
    const viaSandbox = await sampleMillisAsync(async () => {
      const { executionArn } = (await stepFunctions.handle('StartExecution', {
        stateMachineArn,
        input: '{"trail":[]}',
      })) as { executionArn: string };
      const execution = await stepFunctions.waitForExecution(executionArn);
      if (execution.status !== 'SUCCEEDED') throw new Error(`pipeline ended ${String(execution.status)}`);
    }, PIPELINE_RUNS);

    const step = await importHandler('pipeline-step.mjs');
    const states = Object.keys(definition.States as Record<string, unknown>);
    const engine = new StateMachine(definition as never, { validationOptions: { checkArn: false } });
    const localHandlers: LocalTaskHandlers = Object.fromEntries(
      states.map((state) => [state, step as LocalTaskHandlers[string]]),
    );
    const rawEngine = await sampleMillisAsync(
      () => engine.run({ trail: [] }, { overrides: { taskResourceLocalHandlers: localHandlers } }).result,
      PIPELINE_RUNS,
    );
    return { sandbox: viaSandbox.p50, rawEngine: rawEngine.p50 };
  } finally {
    await stepFunctions.close();
    await lambda.close();
  }
}

export async function runSandboxBenchmarks(): Promise<void> {
  const assembly = synthesizedFixtureAssembly();
  console.log('sandbox');
  const startUp = await startUpToFirstApiCall(assembly);
  console.log(
    `  start to first API call (fixture app, DynamoDB Local + fauxqs + deploy): ${formatFigure(startUp, 'ms')} (goal <= 5000 ms)`,
  );
  const invoke = await warmInvokeOverhead();
  console.log(
    `  warm Lambda invoke p50: ${formatFigure(invoke.runtime, 'ms')} via runtime vs ${formatFigure(invoke.direct, 'ms')} direct; overhead ${formatFigure(invoke.runtime - invoke.direct, 'ms')} (goal <= 2 ms)`,
  );
  const pipeline = await pipelineRuns(assembly);
  console.log(
    `  6-state Lambda pipeline p50: ${formatFigure(pipeline.sandbox, 'ms')} (goal <= 50 ms) vs raw engine ${formatFigure(pipeline.rawEngine, 'ms')}; ratio ${(pipeline.sandbox / pipeline.rawEngine).toFixed(1)}x`,
  );
}
