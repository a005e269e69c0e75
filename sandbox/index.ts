// The sandbox: runs a synthesized CDK app on this machine. Emulators and the edge start in parallel,
// then the services are attached to the edge and the assembly is deployed through them.
import { join } from 'node:path';
import { startHttpApi } from './apigateway/http-api.ts';
import type { JsonProtocolService, LambdaFunctionSpec, SandboxEndpoints } from './contracts.ts';
import { readCloudAssembly, stacksToDeploy } from './deploy/cloud-assembly.ts';
import { type DeployedAssembly, type DeployedHttpApi, deployAssembly } from './deploy/deploy-assembly.ts';
import { assertSupported } from './deploy/resource-types.ts';
import { startEdgeServer } from './edge/edge-server.ts';
import { type RunningEmulator, startDynamoDbLocal } from './emulators/dynamodb-local.ts';
import { startFauxqsEmulator } from './emulators/fauxqs.ts';
import { createEventBridgeService } from './eventbridge/service.ts';
import { handleLambdaInvokeRequest } from './lambda/invoke-api.ts';
import { createLambdaRuntime, type SandboxLambdaRuntime } from './lambda/runtime.ts';
import { startSqsEventSource } from './lambda/sqs-event-source.ts';
import { createStepFunctionsService } from './stepfunctions/service.ts';

export interface SandboxOptions {
  /** The cloud assembly directory (`cdk.out`). */
  assembly: string;
  /** Deploy only this stack (by name or artifact id) and the stacks it depends on. */
  stack?: string;
  /** Default 4566, LocalStack's; 0 for a free port. */
  edgePort?: number;
  /** Port of the first HTTP API; default 3000, 0 for a free port. */
  apiPort?: number;
  /** Keep DynamoDB tables and SQS queues/messages here across restarts; in memory when undefined. */
  dataDir?: string;
  /** Deploy what is supported and skip resource types that are not, instead of refusing the stack. */
  ignoreUnsupported?: boolean;
  /** Silence the sandbox's own log lines and function output (where `log` / `functionLog` do not say otherwise). */
  quiet?: boolean;
  /** Where the sandbox's own lines go (what it deployed, event source and delivery errors); default stdout,
   *  each prefixed `[sandbox] `, or nowhere when quiet. */
  log?: (line: string) => void;
  /** Where each function's output goes, chosen as it is deployed: every line it writes to stdout or stderr
   *  (createFunctionLogFiles in lambda/function-log-files.ts gives each function a file). Default stdout,
   *  each line prefixed `[functionName] `, or nowhere when quiet. */
  functionLog?: (spec: LambdaFunctionSpec) => (line: string) => void;
  /** Told as each phase of the start begins: `emulators` (DynamoDB Local, SQS, the edge), then `deploy`
   *  (the assembly through them); the start is over when startSandbox resolves. */
  onPhase?: (phase: SandboxPhase) => void;
}

export type SandboxPhase = 'emulators' | 'deploy';

export interface RunningSandbox {
  /** Value for AWS_ENDPOINT_URL. */
  edgeUrl: string;
  /** The first HTTP API's URL (with its stage path unless `$default`); undefined when the app has none. */
  apiUrl: string | undefined;
  httpApis: DeployedHttpApi[];
  /** Stack outputs, by stack name. */
  outputs: DeployedAssembly['outputs'];
  /** Resources accepted without emulation (`Type LogicalId`). */
  notEmulated: string[];
  /** Unsupported resources skipped under ignoreUnsupported (`Type LogicalId`). */
  skipped: string[];
  /** Requests the edge handed to each service since start or the last reset, keyed `DynamoDB.BatchGetItem`,
   *  `StepFunctions.StartExecution`, `Lambda.Invoke`…: what a unit of work costs in AWS calls. */
  requestCounts(): Record<string, number>;
  /** The same counts by caller: a function's name for the requests it made, the access key id otherwise. */
  requestCountsByCaller(): Record<string, Record<string, number>>;
  resetRequestCounts(): void;
  /** Function invocations not finished yet: running, waiting for an environment, queued ('Event') or
   *  awaiting a retry. 0 once what a request set off (events, queue consumers) has run its course. */
  invocationsInFlight(): number;
  /** Stops everything the sandbox started. */
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';

export async function startSandbox(options: SandboxOptions): Promise<RunningSandbox> {
  const log =
    options.log ?? (options.quiet ? () => {} : (line: string) => process.stdout.write(`[sandbox] ${line}\n`));
  const stoppers: (() => Promise<void>)[] = [];
  // Stops in reverse start order: pollers and APIs before the services they call, the edge before the emulators.
  const stopAll = async () => {
    for (const stop of stoppers.splice(0).reverse()) {
      await stop().catch((error: unknown) => log(`error while stopping: ${(error as Error).message}`));
    }
  };
  try {
    const assemblyStacks = stacksToDeploy(await readCloudAssembly(options.assembly), options.stack);
    assertSupported(assemblyStacks, options.ignoreUnsupported ?? false);
    const region =
      assemblyStacks.find((stack) => stack.region)?.region ?? process.env.AWS_REGION ?? 'us-east-1';
    options.onPhase?.('emulators');
    const started = await Promise.allSettled([
      startDynamoDbLocal(options.dataDir ? { dataDir: join(options.dataDir, 'dynamodb') } : {}),
      startFauxqsEmulator({ region, ...(options.dataDir ? { dataDir: join(options.dataDir, 'sqs') } : {}) }),
      startEdgeServer({ port: options.edgePort ?? 4566, host: HOST }),
    ]);
    for (const outcome of started)
      if (outcome.status === 'fulfilled') stoppers.push(() => outcome.value.stop());
    const failure = started.find((outcome) => outcome.status === 'rejected');
    if (failure) throw failure.reason;
    const [dynamoDb, sqs, edge] = started.map(
      (outcome) => (outcome as PromiseFulfilledResult<unknown>).value,
    ) as [RunningEmulator, RunningEmulator, Awaited<ReturnType<typeof startEdgeServer>>];

    const endpoints: SandboxEndpoints = { edgeUrl: edge.url, region };
    const lambda: SandboxLambdaRuntime = createLambdaRuntime({
      endpoints,
      ...(options.quiet ? { log: () => {} } : {}),
      ...(options.functionLog ? { functionLog: options.functionLog } : {}),
    });
    stoppers.push(() => lambda.close());
    const jsonServices: JsonProtocolService[] = [
      createStepFunctionsService({ endpoints, lambda }),
      createEventBridgeService({ endpoints, lambda, log }),
    ];
    for (const service of jsonServices) stoppers.push(() => service.close());
    edge.attach({
      dynamoDbUrl: dynamoDb.url,
      sqsUrl: sqs.url,
      jsonServices,
      lambdaInvoke: (request) => handleLambdaInvokeRequest(lambda, request),
    });
    log(`edge ${edge.url}`);

    options.onPhase?.('deploy');
    const deployed = await deployAssembly(
      assemblyStacks,
      {
        edgeUrl: edge.url,
        lambda,
        startSqsEventSource: (spec, target) =>
          startSqsEventSource(spec, {
            endpoints: { edgeUrl: edge.url, region: target.region },
            lambda,
            ...(target.functionReservedConcurrency !== undefined
              ? { functionReservedConcurrency: target.functionReservedConcurrency }
              : {}),
            log,
          }),
        startHttpApi: (spec, port) => startHttpApi(spec, { lambda, port, host: HOST, region }),
      },
      {
        defaultRegion: region,
        ignoreUnsupported: options.ignoreUnsupported ?? false,
        apiPort: options.apiPort ?? 3000,
        log,
      },
    );
    stoppers.push(() => deployed.stop());
    log(`accepted without emulation: ${countByType(deployed.notEmulated)}`);
    return {
      edgeUrl: edge.url,
      apiUrl: deployed.httpApis[0]?.url,
      httpApis: deployed.httpApis,
      outputs: deployed.outputs,
      notEmulated: deployed.notEmulated,
      skipped: deployed.skipped,
      requestCounts: () => edge.requestCounts(),
      requestCountsByCaller: () => edge.requestCountsByCaller(),
      resetRequestCounts: () => edge.resetRequestCounts(),
      invocationsInFlight: () => lambda.invocationsInFlight(),
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** `['AWS::IAM::Role A', 'AWS::IAM::Role B']` → `2 AWS::IAM::Role`. */
function countByType(resources: string[]): string {
  const counts = new Map<string, number>();
  for (const resource of resources) {
    const type = resource.split(' ')[0]!;
    counts.set(type, (counts.get(type) ?? 0) + 1);
  }
  return [...counts].map(([type, count]) => `${count} ${type}`).join(', ') || 'none';
}
