// `npm start [-- [--verbose] [--no-warm-up]]`: the main job. Builds the functions, synthesizes the app into
// cdk.out, serves it from the local sandbox (the same templates, bundles and state machines `cdk deploy` would
// ship), makes the first API keys (.sandbox/admin-key: every role of tenant `default`; .sandbox/platform-key:
// the platform admin), registers the demo fleet through the API with the first, warms the workflow path up
// (one report workflow in a tenant of its own, the every-minute scheduled function, then a wait until the
// event consumers they set off are done), says "ready" and keeps serving until Ctrl-C / SIGTERM.
// The terminal shows each phase with its time, then the URLs; what the functions print goes to one file per
// function in .sandbox/logs/ (and to the terminal too with --verbose or VERBOSE=1).
// Ports: PORT for the HTTP API (default 3000), EDGE_PORT for the AWS endpoint (default 4566).
// startTrustgate is the same start as a function (bench/start.ts runs it twice in one process).
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import {
  EventBridgeClient,
  ListRulesCommand,
  ListTargetsByRuleCommand,
  type Rule,
} from '@aws-sdk/client-eventbridge';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { buildApp } from '../infra/build-app.ts';
import { parseScheduleExpression } from '../sandbox/eventbridge/schedule/schedule-expression.ts';
import { type RunningSandbox, startSandbox } from '../sandbox/index.ts';
import { createFunctionLogFiles, openLogFile } from '../sandbox/lambda/function-log-files.ts';
import { printFunctionLogLine } from '../sandbox/lambda/runtime.ts';
import { startStaticSite } from '../sandbox/static-site.ts';
import { allRolesKey, authHeaders } from './api-keys-client.ts';
import { type FirstKeys, firstSandboxKeys } from './bootstrap-keys.ts';
import { buildFunctions } from './build.ts';
import { DEMO_FLEET, type SeededAgent, seedDemoFleet } from './demo-fleet.ts';
import { pollWorkflowUntilEnded, startWorkflow, type WorkflowView } from './workflow-client.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** The web console's static files (docs/backend.md; deployed by infra/stacks/console-stack.ts). */
const CONSOLE_DIR = join(ROOT, 'console');
/** The stage `npm start` synthesizes (the app's default). */
const STAGE = 'dev';
/** The warm-up's tenant: its key, its copy of the demo fleet and its workflow stay out of tenant `default`. */
export const WARM_UP_TENANT = 'sandbox-warm-up';
/** The workflow the warm-up runs and the "try:" hint shows: the demo's report. */
export const REPORT_WORKFLOW = { template: 'report', input: { task: 'Write report on AI trends' } };

/** Where the progress lines and the ready message go: the terminal, or a benchmark's sink. */
export interface StartOutput {
  write(text: string): unknown;
  /** A terminal: the running phase is shown on a line rewritten when it ends. */
  isTTY?: boolean;
}

/** A console to serve beside the API: the web site that talks to it. */
export interface ConsoleServer {
  start(api: { apiUrl: string; edgeUrl: string }): Promise<{ url: string; stop(): Promise<void> }>;
}

export interface StartOptions {
  /** The HTTP API's port; 0 for a free one. */
  apiPort: number;
  /** The AWS endpoint's port; 0 for a free one. */
  edgePort: number;
  /** Function output and the sandbox's own lines in the terminal as well, `[name] line`. */
  verbose?: boolean;
  /** Warm up before ready (see warmUp below), so that the first workflow after it runs warm. Default true. */
  warmUp?: boolean;
  /** Keys (`admin-key`, `platform-key`) and `logs/` go here; default `.sandbox/`. */
  stateDir?: string;
  /** The cloud assembly's directory; default `cdk.out/`. */
  assemblyDir?: string;
  /** Default process.stdout. */
  output?: StartOutput;
  /** Served once the API is up; without it there is no console line. */
  console?: ConsoleServer;
  /** Ctrl-C while starting: the running phase is left at once (the sandbox's own start is waited for), what
   *  was started is stopped, and startTrustgate rejects with the signal's reason. */
  signal?: AbortSignal;
  /** `performance.now()` when the start began, if before this call (the process start): shown as `load`. */
  startedAt?: number;
}

export interface PhaseTiming {
  phase: string;
  ms: number;
  detail: string;
}

export interface StartedTrustgate {
  apiUrl: string;
  edgeUrl: string;
  consoleUrl: string | undefined;
  keys: FirstKeys;
  /** What the warm-up ran; undefined without a warm-up. */
  warmUp: WarmUpResult | undefined;
  phases: PhaseTiming[];
  /** From the start (startedAt, else the call) to ready. */
  readyMs: number;
  stop(): Promise<void>;
}

/** Paths are shown relative to the working directory when under it. */
function shown(path: string): string {
  const relativePath = relative(process.cwd(), path);
  return relativePath === '' || relativePath.startsWith('..') || isAbsolute(relativePath)
    ? path
    : relativePath;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

const LABEL_WIDTH = 11;

/**
 * The phases of a start as the terminal shows them: `  build        2.1 s  34 function bundles in dist/`.
 * On a terminal the running phase is shown as `  build        …      bundling the functions` until it ends.
 */
export class PhaseReporter {
  readonly phases: PhaseTiming[] = [];
  private running: { phase: string; startedAt: number } | undefined;

  constructor(
    private readonly output: StartOutput,
    private readonly live: boolean,
    private readonly now: () => number = () => performance.now(),
  ) {}

  begin(phase: string, doing: string): void {
    this.running = { phase, startedAt: this.now() };
    if (this.live) this.output.write(`  ${phase.padEnd(LABEL_WIDTH)}  …      ${doing}`);
  }

  end(detail: string): PhaseTiming {
    const running = this.running;
    if (running === undefined) throw new Error('no phase is running');
    this.running = undefined;
    return this.record(running.phase, this.now() - running.startedAt, detail);
  }

  /** A phase measured elsewhere (the process's own start, before any of this ran). */
  record(phase: string, ms: number, detail: string): PhaseTiming {
    const timing = { phase, ms, detail };
    this.phases.push(timing);
    this.line(`  ${phase.padEnd(LABEL_WIDTH)}  ${seconds(ms).padStart(6)}  ${detail}`);
    return timing;
  }

  /** Ends the running phase, if any, as failed (or `stopped`): the error itself is the caller's to tell. */
  fail(outcome = 'failed'): void {
    const running = this.running;
    if (running === undefined) return;
    this.running = undefined;
    this.line(
      `  ${running.phase.padEnd(LABEL_WIDTH)}  ${seconds(this.now() - running.startedAt).padStart(6)}  ${outcome}`,
    );
  }

  async run<T>(
    phase: string,
    doing: string,
    work: () => Promise<T>,
    done: (result: T) => string,
  ): Promise<T> {
    this.begin(phase, doing);
    let result: T;
    try {
      result = await work();
    } catch (error) {
      this.fail((error as Error | undefined)?.name === 'AbortError' ? 'stopped' : 'failed');
      throw error;
    }
    this.end(done(result));
    return result;
  }

  private line(text: string): void {
    this.output.write(this.live ? `\r\x1b[2K${text}\n` : `${text}\n`);
  }
}

/** `{ AWS::Lambda::Function: 2, … }` → `2 functions, …`, for the types a person knows the app by. */
export function describeResources(templates: { Resources?: Record<string, { Type: string }> }[]): string {
  const names: [string, string, string][] = [
    ['AWS::Lambda::Function', 'function', 'functions'],
    ['AWS::StepFunctions::StateMachine', 'state machine', 'state machines'],
    ['AWS::DynamoDB::Table', 'table', 'tables'],
    ['AWS::SQS::Queue', 'queue', 'queues'],
    ['AWS::Events::Rule', 'rule', 'rules'],
    ['AWS::ApiGatewayV2::Api', 'HTTP API', 'HTTP APIs'],
  ];
  const counts = new Map<string, number>();
  for (const template of templates)
    for (const resource of Object.values(template.Resources ?? {}))
      counts.set(resource.Type, (counts.get(resource.Type) ?? 0) + 1);
  return names
    .filter(([type]) => (counts.get(type) ?? 0) > 0)
    .map(([type, one, many]) => {
      const count = counts.get(type)!;
      return `${count} ${count === 1 ? one : many}`;
    })
    .join(', ');
}

/** What the warm-up did: the report workflow as it ended, the scheduled functions it ran once. */
export interface WarmUpResult {
  workflow: WorkflowView;
  /** How the first workflow ended when it did not succeed and a second one was run. */
  firstAttempt?: WorkflowView;
  scheduled: ScheduledRun[];
  /** False when functions were still busy when the wait for them gave up. */
  settled: boolean;
}

export interface ScheduledRun {
  rule: string;
  schedule: string;
  functionArn: string;
  /** The function's error type when it failed. */
  error?: string;
}

/** A schedule firing within this long after ready would cold-start its function beside the first workflow. */
const SCHEDULE_HORIZON_MS = 5 * 60_000;

/**
 * One report workflow in WARM_UP_TENANT, with a key of its own and its own copy of the demo fleet; a second
 * one if the first did not succeed (on a busy machine a cold init can outlast its limit, and the environment
 * that timed out is replaced, cold again). The first attempt's end is kept when the second was needed.
 */
async function warmUpWorkflow(
  apiUrl: string,
  platformKey: string,
): Promise<{ workflow: WorkflowView; firstAttempt?: WorkflowView }> {
  const headers = authHeaders(await allRolesKey(apiUrl, platformKey, WARM_UP_TENANT));
  await seedDemoFleet(apiUrl, headers);
  const run = async () => {
    const workflowId = await startWorkflow(apiUrl, REPORT_WORKFLOW, headers);
    // Polled gently: on a busy 2-core machine fast polls would take CPU from the cold starts being warmed.
    return pollWorkflowUntilEnded(apiUrl, workflowId, { headers, intervalMs: 200, timeoutMs: 120_000 });
  };
  const first = await run();
  return first.status === 'SUCCEEDED' ? { workflow: first } : { workflow: await run(), firstAttempt: first };
}

/**
 * Runs once, now, every Lambda function a schedule would first run within SCHEDULE_HORIZON_MS (the DLQ
 * monitor's `rate(1 minute)`), with the event its rule sends: otherwise its cold start lands beside the
 * person's first workflow. Rules and targets are read from the sandbox's EventBridge, as deployed. Targets
 * with an InputPath or InputTransformer are left to their schedule.
 */
async function runFrequentSchedules(edgeUrl: string, now = new Date()): Promise<ScheduledRun[]> {
  const region = process.env.AWS_REGION ?? 'us-east-1';
  const client = {
    endpoint: edgeUrl,
    region,
    credentials: { accessKeyId: 'sandbox', secretAccessKey: 'sandbox' },
  };
  const events = new EventBridgeClient(client);
  const lambda = new LambdaClient(client);
  try {
    const rules: Rule[] = [];
    let nextToken: string | undefined;
    do {
      const page = await events.send(new ListRulesCommand({ NextToken: nextToken }));
      rules.push(...(page.Rules ?? []));
      nextToken = page.NextToken;
    } while (nextToken);
    const frequent = rules.filter((rule) => {
      if (rule.State !== 'ENABLED' || rule.ScheduleExpression === undefined) return false;
      const next = parseScheduleExpression(rule.ScheduleExpression, now).nextFireAfter(now);
      return next !== undefined && next.getTime() - now.getTime() <= SCHEDULE_HORIZON_MS;
    });
    const runs = await Promise.all(
      frequent.map(async (rule) => {
        const { Targets = [] } = await events.send(new ListTargetsByRuleCommand({ Rule: rule.Name }));
        const event = JSON.stringify({
          version: '0',
          id: randomUUID(),
          'detail-type': 'Scheduled Event',
          source: 'aws.events',
          account: rule.Arn?.split(':')[4] ?? '000000000000',
          time: `${now.toISOString().slice(0, 19)}Z`,
          region,
          resources: [rule.Arn],
          detail: {},
        });
        const invocable = Targets.filter(
          (target) =>
            target.Arn?.startsWith('arn:aws:lambda:') &&
            target.InputPath === undefined &&
            target.InputTransformer === undefined,
        );
        return Promise.all(
          invocable.map(async (target): Promise<ScheduledRun> => {
            const result = await lambda.send(
              new InvokeCommand({
                FunctionName: target.Arn,
                Payload: new TextEncoder().encode(target.Input ?? event),
              }),
            );
            const run = {
              rule: rule.Name ?? '',
              schedule: rule.ScheduleExpression ?? '',
              functionArn: target.Arn!,
            };
            return result.FunctionError === undefined ? run : { ...run, error: result.FunctionError };
          }),
        );
      }),
    );
    return runs.flat();
  } finally {
    events.destroy();
    lambda.destroy();
  }
}

/**
 * Resolves true once `inFlight()` has been 0 for `quietMs` on end, false if that has not happened within
 * `limitMs`. A quiet spell, not one idle reading: an event hops from a function to the bus, to a queue and to
 * its consumer with nothing in flight between.
 */
export async function waitUntilIdle(
  inFlight: () => number,
  { quietMs = 1_000, limitMs = 60_000, pollMs = 50 } = {},
): Promise<boolean> {
  const deadline = performance.now() + limitMs;
  let idleSince: number | undefined;
  for (;;) {
    const now = performance.now();
    if (inFlight() > 0) idleSince = undefined;
    else {
      idleSince ??= now;
      if (now - idleSince >= quietMs) return true;
    }
    if (now >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/**
 * The report workflow and the frequent schedules' functions side by side, then the wait until what they set
 * off has run: the events' consumers (audit, analytics, trust, webhooks) cold-start on the warm-up's events
 * and would otherwise still be starting beside the first workflow after ready.
 */
async function warmUp(sandbox: RunningSandbox, apiUrl: string, platformKey: string): Promise<WarmUpResult> {
  const [workflows, scheduled] = await Promise.all([
    warmUpWorkflow(apiUrl, platformKey),
    runFrequentSchedules(sandbox.edgeUrl),
  ]);
  const settled = await waitUntilIdle(() => sandbox.invocationsInFlight());
  return { ...workflows, scheduled, settled };
}

/** The warm-up's line: what ran, and anything that did not go as it should. */
export function describeWarmUp(result: WarmUpResult, logs: string): string {
  const { workflow, firstAttempt, scheduled, settled } = result;
  const ended = (view: WorkflowView) => `ended ${view.status}: ${JSON.stringify(view.error)}`;
  const parts = [
    workflow.status === 'SUCCEEDED'
      ? `a report workflow in tenant ${WARM_UP_TENANT}`
      : `a report workflow in tenant ${WARM_UP_TENANT} ${ended(workflow)} (see ${logs})`,
  ];
  if (firstAttempt !== undefined) parts[0] += `, run twice: the first ${ended(firstAttempt)}`;
  if (scheduled.length > 0) {
    const schedules = [...new Set(scheduled.map((run) => run.schedule))].join(', ');
    parts.push(
      `${scheduled.length} scheduled function${scheduled.length === 1 ? '' : 's'} run once (${schedules})`,
    );
  }
  for (const run of scheduled.filter((candidate) => candidate.error !== undefined))
    parts.push(`${run.rule}'s function failed: ${run.error} (see ${logs})`);
  if (!settled) parts.push('functions still busy after 60 s');
  return parts.join('; ');
}

/**
 * `work`, or a rejection with the signal's reason as soon as it is aborted: the start then stops what it
 * started, and whatever `work` was still doing ends against a stopped sandbox, its outcome ignored.
 */
function unlessAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return work;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      work.catch(() => {});
      reject(signal.reason);
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

export async function startTrustgate(options: StartOptions): Promise<StartedTrustgate> {
  const calledAt = performance.now();
  const startedAt = options.startedAt ?? calledAt;
  const output = options.output ?? process.stdout;
  const verbose = options.verbose ?? false;
  const warmingUp = options.warmUp ?? true;
  const stateDir = options.stateDir ?? join(ROOT, '.sandbox');
  const assemblyDir = options.assemblyDir ?? join(ROOT, 'cdk.out');
  const logsDir = join(stateDir, 'logs');
  const logsShown = `${shown(logsDir)}${sep}`;
  const { signal } = options;
  const reporter = new PhaseReporter(output, (output.isTTY ?? false) && !verbose);
  const phase = <T>(name: string, doing: string, work: () => Promise<T>, done: (result: T) => string) =>
    reporter.run(name, doing, () => unlessAborted(work(), signal), done);

  output.write(
    `starting trustgate; function logs in ${logsShown}${verbose ? '' : ' (--verbose: here too)'}\n`,
  );
  if (calledAt - startedAt >= 1)
    reporter.record('load', calledAt - startedAt, 'Node.js, tsx and the CDK libraries');

  let sandbox: RunningSandbox | undefined;
  let consoleSite: { url: string; stop(): Promise<void> } | undefined;
  let closeLogs = () => {};
  const stop = async () => {
    await consoleSite?.stop();
    await sandbox?.stop();
    closeLogs();
  };
  try {
    await phase(
      'build',
      'bundling the functions',
      () => buildFunctions(),
      ({ entries }) => `${entries.length} function bundles in dist${sep}`,
    );
    const assembly = await phase(
      'synth',
      'synthesizing the CDK app',
      // Receivers a developer runs next to the sandbox listen on loopback: allowed here, never by default.
      async () => buildApp({ outdir: assemblyDir, context: { webhookAllowPrivateUrls: true } }).synth(),
      (synthesized) => `${synthesized.stacks.length} stacks in ${shown(assemblyDir)}${sep}`,
    );
    signal?.throwIfAborted();

    const sandboxLog = openLogFile(
      join(logsDir, 'sandbox.log'),
      `--- ${new Date().toISOString()} npm start ---`,
    );
    const functionLogs = createFunctionLogFiles({
      dir: logsDir,
      ...(verbose ? { echo: printFunctionLogLine } : {}),
    });
    closeLogs = () => {
      functionLogs.close();
      sandboxLog.close();
    };
    // Not abortable half-way: a sandbox is stopped once it has started (a few seconds at most).
    const running = await startSandbox({
      assembly: assemblyDir,
      edgePort: options.edgePort,
      apiPort: options.apiPort,
      log: (line) => {
        sandboxLog.write(line);
        if (verbose) process.stdout.write(`[sandbox] ${line}\n`);
      },
      functionLog: (spec) => functionLogs.open(spec),
      onPhase: (sandboxPhase) => {
        if (sandboxPhase === 'emulators')
          reporter.begin('emulators', 'starting DynamoDB Local, SQS (fauxqs) and the edge');
        else {
          reporter.end('DynamoDB Local, SQS (fauxqs), edge');
          reporter.begin('deploy', 'deploying the assembly into the sandbox');
        }
      },
    });
    sandbox = running;
    reporter.end(describeResources(assembly.stacks.map((stack) => stack.template)));
    signal?.throwIfAborted();

    const apiUrl = running.apiUrl;
    if (apiUrl === undefined) throw new Error('the synthesized app has no HTTP API to serve');
    if (options.console) {
      const server = options.console;
      consoleSite = await phase(
        'console',
        'starting the console',
        () => server.start({ apiUrl, edgeUrl: running.edgeUrl }),
        (site) => site.url,
      );
    }
    const keys = await phase(
      'keys',
      'writing the first API keys',
      async () => {
        const firstKeys = await firstSandboxKeys(running, STAGE);
        writeFirstKeys(stateDir, firstKeys);
        return firstKeys;
      },
      () => `${shown(join(stateDir, 'admin-key'))}, ${shown(join(stateDir, 'platform-key'))}`,
    );
    const seeded = await phase(
      'demo fleet',
      'registering the demo fleet',
      () => seedDemoFleet(apiUrl, authHeaders(keys.adminKey)),
      (agents) => `${agents.length} agents in tenant default`,
    );
    const warmedUp = warmingUp
      ? await phase(
          'warm-up',
          `a report workflow in tenant ${WARM_UP_TENANT}, the frequently scheduled functions`,
          () => warmUp(running, apiUrl, keys.platformKey),
          (result) => describeWarmUp(result, logsShown),
        )
      : undefined;
    signal?.throwIfAborted();

    const started: StartedTrustgate = {
      apiUrl,
      edgeUrl: running.edgeUrl,
      consoleUrl: consoleSite === undefined ? undefined : new URL('/', consoleSite.url).href,
      keys,
      warmUp: warmedUp,
      phases: reporter.phases,
      readyMs: performance.now() - startedAt,
      stop,
    };
    output.write(readyMessage(started, seeded, stateDir, logsShown, warmingUp));
    return started;
  } catch (error) {
    reporter.fail(signal?.aborted ? 'stopped' : 'failed');
    await stop();
    throw error;
  }
}

/** Writes the sandbox's first keys where the scripts look for them (owner-only files). */
function writeFirstKeys(stateDir: string, keys: FirstKeys): void {
  mkdirSync(stateDir, { recursive: true });
  writeFileSync(join(stateDir, 'admin-key'), `${keys.adminKey}\n`, { mode: 0o600 });
  writeFileSync(join(stateDir, 'platform-key'), `${keys.platformKey}\n`, { mode: 0o600 });
}

function readyMessage(
  started: StartedTrustgate,
  seeded: SeededAgent[],
  stateDir: string,
  logs: string,
  warmedUp: boolean,
): string {
  const names = new Map(DEMO_FLEET.map((agent) => [agent.agentId, agent.name]));
  const adminKey = shown(join(stateDir, 'admin-key'));
  const platformKey = shown(join(stateDir, 'platform-key'));
  const { apiUrl } = started;
  return [
    '',
    `ready in ${seconds(started.readyMs)}${warmedUp ? '' : ' (no warm-up: the first workflow pays the cold starts)'}`,
    `  API:          ${apiUrl}`,
    `  edge:         ${started.edgeUrl}   (AWS_ENDPOINT_URL for the AWS SDK / CLI)`,
    ...(started.consoleUrl === undefined ? [] : [`  console:      ${started.consoleUrl}`]),
    `  admin key:    ${adminKey}   (tenant default: admin, operator, reviewer level 3; shown nowhere else)`,
    `  platform key: ${platformKey}   (the platform admin: other tenants' keys, DLQ replays)`,
    `  logs:         ${logs}   (one file per function, sandbox.log for the sandbox itself)`,
    '',
    'demo fleet (tenant default):',
    ...seeded.map(
      (agent) =>
        `  ${agent.agentId.padEnd(15)} ${agent.tier}  ${String(Math.round(agent.score)).padStart(4)}  ${names.get(agent.agentId)}`,
    ),
    '',
    'try:',
    `  export TG_KEY=$(cat ${adminKey})`,
    `  curl -s -X POST ${apiUrl}/v1/workflows -H "authorization: Bearer $TG_KEY" -H 'content-type: application/json' -d '${JSON.stringify(REPORT_WORKFLOW)}'`,
    `  curl -s ${apiUrl}/v1/workflows/<workflowId> -H "authorization: Bearer $TG_KEY"`,
    '  npm run demo',
    '',
    'serving; Ctrl-C stops',
    '',
  ].join('\n');
}

function portFromEnvironment(name: string, fallback: number): number {
  const value = process.env[name];
  if (value === undefined || value === '') return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error(`${name} must be a port number (0-65535), got "${value}"`);
  }
  return port;
}

const USAGE = [
  'usage: npm start [-- [--verbose] [--no-warm-up]]',
  '  --verbose     function output (also in .sandbox/logs/) in the terminal too; or VERBOSE=1',
  '  --no-warm-up  say ready without running the warm-up workflow (the first workflow then pays the cold starts)',
  '  PORT (3000) and EDGE_PORT (4566) choose the ports',
].join('\n');

/** The command line: `--verbose` (or VERBOSE=1 / true), `--no-warm-up`, `--help`. */
export function parseStartArguments(
  args: string[],
  environment: Record<string, string | undefined>,
): { verbose: boolean; warmUp: boolean; help: boolean } {
  const { values } = parseArgs({
    args,
    options: {
      verbose: { type: 'boolean', default: false },
      'warm-up': { type: 'boolean', default: true },
      help: { type: 'boolean', short: 'h', default: false },
    },
    allowNegative: true,
    strict: true,
  });
  const verboseFromEnvironment = ['1', 'true', 'yes'].includes((environment.VERBOSE ?? '').toLowerCase());
  return { verbose: values.verbose || verboseFromEnvironment, warmUp: values['warm-up'], help: values.help };
}

async function main(): Promise<void> {
  let flags: ReturnType<typeof parseStartArguments>;
  try {
    flags = parseStartArguments(process.argv.slice(2), process.env);
  } catch (error) {
    console.error(`trustgate: ${(error as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  if (flags.help) {
    console.log(USAGE);
    return;
  }
  const apiPort = portFromEnvironment('PORT', 3000);
  const edgePort = portFromEnvironment('EDGE_PORT', 4566);
  const consolePort = portFromEnvironment('CONSOLE_PORT', 3001);

  const aborted = new AbortController();
  let started: StartedTrustgate | undefined;
  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) {
      // A second Ctrl-C: leave now (the emulators' process groups are killed on exit).
      process.exit(130);
    }
    stopping = true;
    if (started === undefined) {
      process.stdout.write(`\n${signal}: stopping (again to leave at once)\n`);
      aborted.abort();
      return;
    }
    console.log(`${signal}: stopping`);
    started.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`trustgate: ${(error as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);

  try {
    started = await startTrustgate({
      apiPort,
      edgePort,
      verbose: flags.verbose,
      warmUp: flags.warmUp,
      signal: aborted.signal,
      // performance.now() counts from this process's start: `load` is the time to get here.
      startedAt: 0,
      // The web console (console/, static): served on CONSOLE_PORT once the API is up, pointed at it.
      console: {
        start: async ({ apiUrl }) => {
          const site = await startStaticSite({ root: CONSOLE_DIR, port: consolePort, config: { apiUrl } });
          return { url: site.url, stop: () => site.close() };
        },
      },
    });
  } catch (error) {
    if (aborted.signal.aborted) process.exit(130);
    throw error;
  }
  if (stopping) {
    // The signal came after the start's last look at it.
    await started.stop();
    process.exit(130);
  }
}

/**
 * fauxqs's persistence loads node:sqlite, whose ExperimentalWarning would be the first line a person sees;
 * it says nothing about trustgate. Every other warning is printed as Node prints it.
 */
function hideSqliteExperimentalWarning(): void {
  const printers = process.listeners('warning');
  process.removeAllListeners('warning');
  process.on('warning', (warning) => {
    if (warning.name === 'ExperimentalWarning' && /SQLite/i.test(warning.message)) return;
    for (const print of printers) print(warning);
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  hideSqliteExperimentalWarning();
  main().catch((error: unknown) => {
    // The sandbox's own messages (Java missing or too old, a port in use) are meant for the user as they are.
    console.error(`trustgate: ${(error as Error).message}`);
    process.exit(1);
  });
}
