// The flows of issue #5 in the sandbox with the local provider, counted as AWS would bill them, per run:
//   state transitions    from the execution history (GetExecutionHistory): every `*StateEntered` event. AWS
//                        bills a Standard workflow per state transition, i.e. each time a state is entered,
//                        states inside Map iterations and retries included, so this is the billed figure.
//   Lambda invocations   the state machine's: `LambdaFunctionScheduled` events and `TaskScheduled` events of
//                        resource type lambda (a retried task is scheduled again, and billed again); plus one
//                        API function invocation per HTTP API request of a minimal client (below).
//   Lambda duration      from the history: each invocation from its `*Started` event to the event that ends
//                        the function's run (`*Succeeded` / `*Failed` / `*TimedOut`, or `TaskSubmitted` for a
//                        callback task: the function returned, the wait is free), at the function's memory
//                        size read from the synthesized template. API functions: the client's round trip
//                        (an upper bound). Sandbox timings on this machine, not AWS's; an estimate.
//   DynamoDB requests    counted at the sandbox's edge during the run, the status polls' own requests taken
//                        out (measured on a finished workflow), as bench/pipeline.ts does.
//   API requests         of a minimal client: the POST, one GET of the result, and for the escalation one
//                        list and one approve of the reviewer. Status polls are the client's choice, not counted.
// Cost per 1 000 runs from public list prices (bench/aws-prices.ts), model tokens excluded. Baseline: the
// report pipeline measured in the same process; every flow is also given as a ratio to it.
//
// Runs are paced to the tenant's rate limit (10 gate tokens a second), as in bench/pipeline.ts.
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  ListStateMachinesCommand,
  SFNClient,
} from '@aws-sdk/client-sfn';
import type { WorkflowViewStatus } from '../functions/app/workflows/workflow-item.ts';
import { readCloudAssembly } from '../sandbox/deploy/cloud-assembly.ts';
import { generatedPhysicalName } from '../sandbox/deploy/physical-names.ts';
import { type RunningSandbox, startSandbox } from '../sandbox/index.ts';
import { authHeaders } from '../scripts/api-keys-client.ts';
import { firstSandboxKeys } from '../scripts/bootstrap-keys.ts';
import { seedDemoFleet } from '../scripts/demo-fleet.ts';
import {
  ApiCallError,
  approveEscalation,
  listEscalations,
  pollWorkflowUntilEnded,
  pollWorkflowUntilStatus,
  readWorkflow,
  startWorkflow,
} from '../scripts/workflow-client.ts';
import { synthesizedTrustgateApp } from '../test/e2e/support/synthesized-app.ts';
import { AWS_PRICES_US_EAST_1 as PRICES } from './aws-prices.ts';
import { formatFigure, summarize } from './measure.ts';
import { workflowPathRequests } from './workflow-path-requests.ts';

const RUNS = 5;
/** Enough for the parallel flow to have warm execution environments for its concurrent gates. */
const WARMUP_RUNS = 3;
const POLL_INTERVAL_MS = 10;
const POLLS_MEASURED = 10;
/** The default tenant bucket's refill interval per token (10 a second); each gate invocation takes one. */
const MS_PER_GATE_TOKEN = 100;
const RUNS_PRICED = 1_000;
const REGION = 'us-east-1';
const COLD_START_ATTEMPTS = 3;

interface Flow {
  name: string;
  request: Record<string, unknown>;
  expected: WorkflowViewStatus;
  /** A reviewer approves the escalation the run waits on (level 1). */
  review?: boolean;
}

const TASK = 'Write report on AI trends';

const FLOWS: readonly Flow[] = [
  { name: 'report', request: { template: 'report', input: { task: TASK } }, expected: 'SUCCEEDED' },
  { name: 'parallel', request: { template: 'parallel', input: { task: TASK } }, expected: 'SUCCEEDED' },
  {
    name: 'routing',
    request: { template: 'routing', input: { task: TASK }, preference: 'cost' },
    expected: 'SUCCEEDED',
  },
  {
    // Nobody in the tenant has the role: routed, queued, waited 1 s, routed again, then no_qualified_agent.
    name: 'routing-queued',
    request: {
      type: 'sequential',
      input: { task: TASK },
      steps: [
        {
          name: 'triage',
          role: 'triage',
          requiredTier: 'T2',
          intent: 'generate_document',
          resource: { id: 'triage', type: 'document' },
        },
      ],
      queue: { maxAttempts: 2, delaySeconds: 1, backoffRate: 1, maxDelaySeconds: 1 },
    },
    expected: 'FAILED',
  },
  {
    name: 'escalation',
    request: { template: 'escalation', input: { task: TASK }, escalation: { slaSeconds: 60, maxLevel: 3 } },
    expected: 'SUCCEEDED',
    review: true,
  },
  { name: 'saga', request: { template: 'saga', input: { task: TASK } }, expected: 'SUCCEEDED' },
  {
    name: 'saga-compensated',
    request: { template: 'saga', input: { task: TASK, failAt: 'commit' } },
    expected: 'COMPENSATED',
  },
];

/** What one run cost, as counted. */
interface RunFigures {
  millis: number;
  transitions: number;
  lambdaInvocations: number;
  lambdaGbSeconds: number;
  apiRequests: number;
  apiGbSeconds: number;
  dynamoDbReads: number;
  dynamoDbWrites: number;
  /** DynamoDB request units, under the assumptions of `REQUEST_UNITS`. */
  readUnits: number;
  writeUnits: number;
}

interface FlowFigures extends Omit<RunFigures, 'millis'> {
  name: string;
  p50Millis: number;
}

interface CostBreakdown {
  stepFunctions: number;
  lambdaRequests: number;
  lambdaDuration: number;
  dynamoDb: number;
  apiGateway: number;
  total: number;
}

export async function runFlowsBenchmark(): Promise<void> {
  const assembly = await synthesizedTrustgateApp();
  const memory = await functionMemory(assembly);
  const sandbox = await startSandbox({ assembly, edgePort: 0, apiPort: 0, quiet: true });
  const sfn = new SFNClient({
    endpoint: sandbox.edgeUrl,
    region: REGION,
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
  });
  try {
    const apiUrl = sandbox.apiUrl!;
    const headers = authHeaders((await firstSandboxKeys(sandbox)).adminKey);
    await seedDemoFleet(apiUrl, headers);
    const stateMachineArns = (await sfn.send(new ListStateMachinesCommand({}))).stateMachines!.map(
      (stateMachine) => stateMachine.stateMachineArn!,
    );
    const runner = flowRunner({ sandbox, sfn, apiUrl, headers, stateMachineArns, memory });
    await runner.measurePolls();

    const figures: FlowFigures[] = [];
    for (const flow of FLOWS) {
      for (let i = 0; i < WARMUP_RUNS; i++) await runner.run(flow);
      const runs: RunFigures[] = [];
      for (let i = 0; i < RUNS; i++) runs.push(await runner.run(flow));
      figures.push(averageOf(flow.name, runs));
    }
    printFigures(figures, memory);
  } finally {
    sfn.destroy();
    await sandbox.stop();
  }
}

interface FunctionMemory {
  /** MB by physical function name. */
  byName: Map<string, number>;
  /** MB of the API functions a client calls (construct ids WorkflowsApi, EscalationsApi). */
  workflowsApi: number;
  escalationsApi: number;
}

/** Each function's memory size, from the synthesized templates, under the name the sandbox gives it. */
async function functionMemory(assembly: string): Promise<FunctionMemory> {
  const byName = new Map<string, number>();
  const byLogicalId = new Map<string, number>();
  for (const stack of await readCloudAssembly(assembly)) {
    for (const [logicalId, resource] of Object.entries(stack.template.Resources ?? {})) {
      if (resource.Type !== 'AWS::Lambda::Function') continue;
      const properties = resource.Properties ?? {};
      const megabytes = Number(properties.MemorySize ?? 128);
      const name =
        (properties.FunctionName as string | undefined) ??
        generatedPhysicalName(stack.stackName, logicalId, { maxLength: 64 });
      byName.set(name, megabytes);
      byLogicalId.set(logicalId, megabytes);
    }
  }
  const memoryOf = (prefix: string) => {
    const found = [...byLogicalId].find(([logicalId]) => logicalId.startsWith(prefix));
    if (!found) throw new Error(`no function ${prefix}* in the synthesized app`);
    return found[1];
  };
  return { byName, workflowsApi: memoryOf('WorkflowsApi'), escalationsApi: memoryOf('EscalationsApi') };
}

function flowRunner(context: {
  sandbox: RunningSandbox;
  sfn: SFNClient;
  apiUrl: string;
  /** An API key with every role of the demo fleet's tenant. */
  headers: Record<string, string>;
  stateMachineArns: string[];
  memory: FunctionMemory;
}) {
  const { sandbox, sfn, apiUrl, headers, stateMachineArns, memory } = context;
  /** DynamoDB requests and request units of one status poll. */
  let perPoll: DynamoDbFigures = { reads: 0, writes: 0, readUnits: 0, writeUnits: 0 };

  /** Runs `call`, returning its result and its round trip in ms. */
  const timed = async <T>(call: () => Promise<T>): Promise<[T, number]> => {
    const started = performance.now();
    const result = await call();
    return [result, performance.now() - started];
  };

  return {
    /**
     * Warms the API functions up and measures the DynamoDB requests of one status poll, taken out of every
     * run's count. A cold start on a loaded 2-core machine can outlast the API's 10 s timeout (a 500), so
     * these first requests are retried; the measured runs start warm.
     */
    async measurePolls(): Promise<void> {
      await retriedOnColdStart(() => listEscalations(apiUrl, 'PENDING', headers));
      const workflowId = await retriedOnColdStart(() => startWorkflow(apiUrl, FLOWS[0]!.request, headers));
      await pollWorkflowUntilEnded(apiUrl, workflowId, { intervalMs: POLL_INTERVAL_MS, headers });
      sandbox.resetRequestCounts();
      for (let i = 0; i < POLLS_MEASURED; i++) await readWorkflow(apiUrl, workflowId, headers);
      const polled = dynamoDbFigures(workflowPathRequests(sandbox));
      perPoll = {
        reads: polled.reads / POLLS_MEASURED,
        writes: polled.writes / POLLS_MEASURED,
        readUnits: polled.readUnits / POLLS_MEASURED,
        writeUnits: polled.writeUnits / POLLS_MEASURED,
      };
    },

    async run(flow: Flow): Promise<RunFigures> {
      let polls = 0;
      const apiMillis: { millis: number; megabytes: number }[] = [];
      const onRead = () => polls++;
      sandbox.resetRequestCounts();
      const started = performance.now();
      const [workflowId, postMillis] = await timed(() => startWorkflow(apiUrl, flow.request, headers));
      apiMillis.push({ millis: postMillis, megabytes: memory.workflowsApi });
      if (flow.review) {
        await pollWorkflowUntilStatus(apiUrl, workflowId, 'WAITING_APPROVAL', {
          intervalMs: POLL_INTERVAL_MS,
          onRead,
          headers,
        });
        const [pending, listMillis] = await timed(() => listEscalations(apiUrl, 'PENDING', headers));
        const escalation = pending.find((candidate) => candidate.workflowId === workflowId);
        if (!escalation) throw new Error(`workflow ${workflowId} waits, but lists no pending escalation`);
        const [, approveMillis] = await timed(() =>
          approveEscalation(apiUrl, escalation.escalationId, {}, headers),
        );
        apiMillis.push(
          { millis: listMillis, megabytes: memory.escalationsApi },
          { millis: approveMillis, megabytes: memory.escalationsApi },
        );
      }
      const workflow = await pollWorkflowUntilEnded(apiUrl, workflowId, {
        intervalMs: POLL_INTERVAL_MS,
        onRead,
        headers,
      });
      const millis = performance.now() - started;
      const dynamoDb = dynamoDbFigures(workflowPathRequests(sandbox));
      if (workflow.status !== flow.expected) {
        throw new Error(
          `${flow.name}: workflow ${workflowId} ended ${workflow.status}, expected ${flow.expected}: ${JSON.stringify(workflow.error)}`,
        );
      }
      // The result read a client makes once (the polls before it are not counted).
      const [, getMillis] = await timed(() => readWorkflow(apiUrl, workflowId, headers));
      apiMillis.push({ millis: getMillis, megabytes: memory.workflowsApi });

      // A client reads the result once: the other polls' requests are taken out.
      const extraPolls = polls - 1;
      const execution = executionFigures(await executionHistory(workflowId), memory.byName);
      await sleep(execution.lambdaInvocations * MS_PER_GATE_TOKEN - millis);
      return {
        millis,
        ...execution,
        apiRequests: apiMillis.length,
        apiGbSeconds: apiMillis.reduce((sum, call) => sum + gbSeconds(call.millis, call.megabytes), 0),
        dynamoDbReads: dynamoDb.reads - extraPolls * perPoll.reads,
        dynamoDbWrites: dynamoDb.writes - extraPolls * perPoll.writes,
        readUnits: dynamoDb.readUnits - extraPolls * perPoll.readUnits,
        writeUnits: dynamoDb.writeUnits - extraPolls * perPoll.writeUnits,
      };
    },
  };

  /** The history of the workflow's execution (named by its id) once it has closed. */
  async function executionHistory(workflowId: string): Promise<HistoryEvent[]> {
    const executionArn = await findExecution(workflowId);
    for (;;) {
      const { status } = await sfn.send(new DescribeExecutionCommand({ executionArn }));
      if (status !== 'RUNNING') break;
      await sleep(POLL_INTERVAL_MS);
    }
    const events: HistoryEvent[] = [];
    let nextToken: string | undefined;
    do {
      const page = await sfn.send(
        new GetExecutionHistoryCommand({
          executionArn,
          maxResults: 1000,
          nextToken,
          includeExecutionData: true,
        }),
      );
      events.push(...(page.events ?? []));
      nextToken = page.nextToken;
    } while (nextToken);
    return events;
  }

  /** The execution ARN: `arn:…:execution:<state machine>:<workflowId>` on whichever flow ran it. */
  async function findExecution(workflowId: string): Promise<string> {
    for (const stateMachineArn of stateMachineArns) {
      const executionArn = `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${workflowId}`;
      try {
        await sfn.send(new DescribeExecutionCommand({ executionArn }));
        return executionArn;
      } catch (error) {
        if ((error as Error).name !== 'ExecutionDoesNotExist') throw error;
      }
    }
    throw new Error(`no execution named ${workflowId} on ${stateMachineArns.join(', ')}`);
  }
}

/** Transitions, Lambda invocations and Lambda GB-seconds of one execution's history. */
export function executionFigures(
  events: readonly HistoryEvent[],
  megabytesByFunctionName: ReadonlyMap<string, number>,
): { transitions: number; lambdaInvocations: number; lambdaGbSeconds: number } {
  let transitions = 0;
  let lambdaInvocations = 0;
  let lambdaGbSeconds = 0;
  // Invocations in flight, oldest first, keyed by the task's resource (Map iterations run them concurrently;
  // the sum of durations does not depend on which start is paired with which end of the same function).
  const open: { key: string; megabytes: number; startedAt?: number; returned: boolean }[] = [];
  const megabytesOf = (functionArnOrName: string) => {
    const name = functionArnOrName.split(':function:').at(-1)!.split(':')[0]!;
    const megabytes = megabytesByFunctionName.get(name);
    if (megabytes === undefined) throw new Error(`function ${name} is not in the synthesized app`);
    return megabytes;
  };
  const first = (key: string, wanted: (entry: (typeof open)[number]) => boolean) =>
    open.findIndex((entry) => entry.key === key && wanted(entry));

  for (const event of events) {
    const type = event.type ?? '';
    const at = event.timestamp?.getTime() ?? 0;
    if (type.endsWith('StateEntered')) {
      transitions++;
      continue;
    }
    const task = taskEventOf(event);
    if (!task) continue;
    if (task.phase === 'scheduled') {
      if (!task.functionArn) continue; // not a Lambda task
      lambdaInvocations++;
      open.push({ key: task.key, megabytes: megabytesOf(task.functionArn), returned: false });
    } else if (task.phase === 'started') {
      const index = first(task.key, (entry) => entry.startedAt === undefined);
      if (index >= 0) open[index]!.startedAt = at;
    } else {
      // submitted (the function returned; a callback follows) or closed (succeeded, failed, timed out).
      const index = first(task.key, (entry) => entry.startedAt !== undefined);
      if (index < 0) continue;
      const entry = open[index]!;
      if (!entry.returned) lambdaGbSeconds += gbSeconds(at - entry.startedAt!, entry.megabytes);
      if (task.phase === 'submitted') entry.returned = true;
      else open.splice(index, 1);
    }
  }
  return { transitions, lambdaInvocations, lambdaGbSeconds };
}

type TaskPhase = 'scheduled' | 'started' | 'submitted' | 'closed';

/** The task event's phase and the resource it concerns; undefined for other events. */
function taskEventOf(
  event: HistoryEvent,
): { phase: TaskPhase; key: string; functionArn?: string } | undefined {
  const type = event.type ?? '';
  if (type === 'LambdaFunctionScheduled') {
    const resource = event.lambdaFunctionScheduledEventDetails?.resource ?? '';
    return { phase: 'scheduled', key: 'lambda-function', functionArn: resource };
  }
  if (type === 'LambdaFunctionStarted') return { phase: 'started', key: 'lambda-function' };
  if (['LambdaFunctionSucceeded', 'LambdaFunctionFailed', 'LambdaFunctionTimedOut'].includes(type)) {
    return { phase: 'closed', key: 'lambda-function' };
  }
  if (type === 'TaskScheduled') {
    const details = event.taskScheduledEventDetails;
    const key = `${details?.resourceType}:${details?.resource}`;
    if (details?.resourceType !== 'lambda') return { phase: 'scheduled', key };
    const parameters = JSON.parse(details.parameters ?? '{}') as { FunctionName?: string };
    return { phase: 'scheduled', key, functionArn: parameters.FunctionName ?? '' };
  }
  const details =
    event.taskStartedEventDetails ??
    event.taskSubmittedEventDetails ??
    event.taskSucceededEventDetails ??
    event.taskFailedEventDetails ??
    event.taskTimedOutEventDetails;
  if (!details) return undefined;
  const key = `${details.resourceType}:${details.resource}`;
  if (type === 'TaskStarted') return { phase: 'started', key };
  if (type === 'TaskSubmitted') return { phase: 'submitted', key };
  return { phase: 'closed', key };
}

async function retriedOnColdStart<T>(call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof ApiCallError && error.status >= 500 && attempt < COLD_START_ATTEMPTS))
        throw error;
    }
  }
}

/** Lambda bills duration rounded up to the millisecond, times the memory size. */
function gbSeconds(millis: number, megabytes: number): number {
  return (Math.ceil(Math.max(0, millis)) / 1000) * (megabytes / 1024);
}

/** DynamoDB requests (reads, writes) and request units (readUnits, writeUnits), under `REQUEST_UNITS`. */
interface DynamoDbFigures {
  reads: number;
  writes: number;
  readUnits: number;
  writeUnits: number;
}

/**
 * DynamoDB request units per request by operation, an estimate: the edge counts requests, not items or
 * sizes. Assumed: strongly consistent reads of items ≤ 4 KB (1 RRU) and writes of items ≤ 1 KB (1 WRU);
 * batches and transactions touch 3 items (the gate's BatchGetItem reads workflow, agent and bucket; its
 * transactions write 3 to 4 items); transactional requests cost 2 units per item. The workflow item outgrows
 * 1 KB as step outputs accumulate, so the writes are undercounted by a small factor; DynamoDB stays a
 * small share of the total either way (printed). An operation with read units is a read, one with write
 * units a write.
 */
const REQUEST_UNITS: Readonly<Record<string, { reads?: number; writes?: number }>> = {
  GetItem: { reads: 1 },
  Query: { reads: 1 },
  Scan: { reads: 1 },
  BatchGetItem: { reads: 3 },
  TransactGetItems: { reads: 6 },
  PutItem: { writes: 1 },
  UpdateItem: { writes: 1 },
  DeleteItem: { writes: 1 },
  BatchWriteItem: { writes: 3 },
  TransactWriteItems: { writes: 6 },
};

/** The DynamoDB figures of the requests counted at the sandbox's edge (`Service.Operation` → count). */
function dynamoDbFigures(counts: Record<string, number>): DynamoDbFigures {
  const figures: DynamoDbFigures = { reads: 0, writes: 0, readUnits: 0, writeUnits: 0 };
  for (const [key, count] of Object.entries(counts)) {
    const [service, operation = ''] = key.split('.');
    if (service !== 'DynamoDB' || !Object.hasOwn(REQUEST_UNITS, operation)) continue;
    const units = REQUEST_UNITS[operation]!;
    if (units.reads !== undefined) {
      figures.reads += count;
      figures.readUnits += units.reads * count;
    }
    if (units.writes !== undefined) {
      figures.writes += count;
      figures.writeUnits += units.writes * count;
    }
  }
  return figures;
}

function averageOf(name: string, runs: RunFigures[]): FlowFigures {
  const mean = (pick: (run: RunFigures) => number) =>
    runs.reduce((sum, run) => sum + pick(run), 0) / runs.length;
  return {
    name,
    p50Millis: summarize(Float64Array.from(runs.map((run) => run.millis))).p50,
    transitions: mean((run) => run.transitions),
    lambdaInvocations: mean((run) => run.lambdaInvocations),
    lambdaGbSeconds: mean((run) => run.lambdaGbSeconds),
    apiRequests: mean((run) => run.apiRequests),
    apiGbSeconds: mean((run) => run.apiGbSeconds),
    dynamoDbReads: mean((run) => run.dynamoDbReads),
    dynamoDbWrites: mean((run) => run.dynamoDbWrites),
    readUnits: mean((run) => run.readUnits),
    writeUnits: mean((run) => run.writeUnits),
  };
}

/** USD per RUNS_PRICED runs, model tokens excluded. */
function costPerThousandRuns(flow: FlowFigures): CostBreakdown {
  const stepFunctions = flow.transitions * PRICES.stepFunctionsStandardPerTransition;
  const lambdaRequests = (flow.lambdaInvocations + flow.apiRequests) * PRICES.lambdaArmPerRequest;
  const lambdaDuration = (flow.lambdaGbSeconds + flow.apiGbSeconds) * PRICES.lambdaArmPerGbSecond;
  const dynamoDb =
    flow.readUnits * PRICES.dynamoDbPerReadRequestUnit + flow.writeUnits * PRICES.dynamoDbPerWriteRequestUnit;
  const apiGateway = flow.apiRequests * PRICES.httpApiPerRequest;
  const perRun = { stepFunctions, lambdaRequests, lambdaDuration, dynamoDb, apiGateway };
  const scaled = Object.fromEntries(
    Object.entries(perRun).map(([part, usd]) => [part, usd * RUNS_PRICED]),
  ) as Omit<CostBreakdown, 'total'>;
  return { ...scaled, total: Object.values(scaled).reduce((sum, usd) => sum + usd, 0) };
}

function printFigures(flows: FlowFigures[], memory: FunctionMemory): void {
  const baseline = flows.find((flow) => flow.name === 'report')!;
  const baselineCost = costPerThousandRuns(baseline);
  console.log(
    `flows (sandbox, local provider; mean of ${RUNS} runs each after ${WARMUP_RUNS} warm-up; baseline: the report pipeline in this process)`,
  );
  const header = [
    'flow'.padEnd(17),
    'transitions'.padStart(11),
    'Lambda'.padStart(7),
    'DDB reads'.padStart(9),
    'DDB writes'.padStart(10),
    'API'.padStart(4),
    'p50'.padStart(10),
    'vs report'.padStart(10),
  ].join(' ');
  console.log(`  ${header}`);
  for (const flow of flows) {
    console.log(
      `  ${[
        flow.name.padEnd(17),
        flow.transitions.toFixed(1).padStart(11),
        flow.lambdaInvocations.toFixed(1).padStart(7),
        flow.dynamoDbReads.toFixed(1).padStart(9),
        flow.dynamoDbWrites.toFixed(1).padStart(10),
        flow.apiRequests.toFixed(0).padStart(4),
        formatFigure(flow.p50Millis, 'ms').padStart(10),
        `${(flow.transitions / baseline.transitions).toFixed(2)}x`.padStart(10),
      ].join(' ')}`,
    );
  }
  console.log(
    '  (transitions and Lambda: the state machine’s, from the execution history; "vs report": transitions)',
  );
  console.log('  (escalation: p50 includes the automatic reviewer, who approves as soon as the step waits)');
  console.log(
    `\n  AWS cost per ${RUNS_PRICED} runs, USD, ${PRICES.region} list prices read ${PRICES.readAt}, no free tier, model tokens excluded`,
  );
  console.log(
    `  ${[
      'flow'.padEnd(17),
      'Step Fns'.padStart(9),
      'λ requests'.padStart(10),
      'λ duration'.padStart(10),
      'DynamoDB'.padStart(9),
      'HTTP API'.padStart(9),
      'total'.padStart(9),
      'vs report'.padStart(10),
    ].join(' ')}`,
  );
  for (const flow of flows) {
    const cost = costPerThousandRuns(flow);
    console.log(
      `  ${[
        flow.name.padEnd(17),
        usd(cost.stepFunctions).padStart(9),
        usd(cost.lambdaRequests).padStart(10),
        usd(cost.lambdaDuration).padStart(10),
        usd(cost.dynamoDb).padStart(9),
        usd(cost.apiGateway).padStart(9),
        usd(cost.total).padStart(9),
        `${(cost.total / baselineCost.total).toFixed(2)}x`.padStart(10),
      ].join(' ')}`,
    );
  }
  const gate = [...memory.byName].find(([name]) => name.includes('Gate'));
  console.log(
    `  (Lambda duration: sandbox-measured run time at each function's memory${gate ? `, e.g. the gate ${gate[1]} MB` : ''}, API functions ${memory.workflowsApi} MB by client round trip;`,
  );
  console.log(
    '   DynamoDB: request units estimated from request counts (3 items per batch or transaction, items ≤ 1 KB), see REQUEST_UNITS)',
  );
}

function usd(value: number): string {
  return `$${value < 0.1 ? value.toFixed(4) : value.toFixed(3)}`;
}

function sleep(millis: number): Promise<void> {
  return millis > 0 ? new Promise((resolve) => setTimeout(resolve, millis)) : Promise.resolve();
}
