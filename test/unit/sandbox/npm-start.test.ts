// What `npm start` (scripts/start.ts) shows and decides, without starting anything: the phase lines on a
// terminal and elsewhere, the resource summary, the flags, the warm-up's line and its wait for idle functions.
import { describe, expect, it } from 'vitest';
import {
  describeResources,
  describeWarmUp,
  PhaseReporter,
  parseStartArguments,
  WARM_UP_TENANT,
  waitUntilIdle,
} from '../../../scripts/start.ts';
import type { WorkflowView } from '../../../scripts/workflow-client.ts';

function recorder(): { text: () => string; write: (chunk: string) => boolean } {
  const chunks: string[] = [];
  return { text: () => chunks.join(''), write: (chunk) => chunks.push(chunk) > 0 };
}

function clock(...readings: number[]): () => number {
  return () => readings.shift() ?? Number.NaN;
}

describe('the phase lines', () => {
  it('are one line per phase, with its time and what it did, when the output is no terminal', async () => {
    const output = recorder();
    const reporter = new PhaseReporter(output, false, clock(0, 2_140, 2_140, 2_200));
    await reporter.run(
      'build',
      'bundling the functions',
      async () => 30,
      (count) => `${count} bundles`,
    );
    reporter.begin('keys', 'writing the keys');
    reporter.end('.sandbox/admin-key');
    expect(output.text()).toBe(
      '  build         2.1 s  30 bundles\n  keys          0.1 s  .sandbox/admin-key\n',
    );
    expect(reporter.phases).toEqual([
      { phase: 'build', ms: 2_140, detail: '30 bundles' },
      { phase: 'keys', ms: 60, detail: '.sandbox/admin-key' },
    ]);
  });

  it('show the running phase on a terminal and rewrite its line when it ends', () => {
    const output = recorder();
    const reporter = new PhaseReporter(output, true, clock(0, 12_345));
    reporter.begin('synth', 'synthesizing the CDK app');
    expect(output.text()).toBe('  synth        …      synthesizing the CDK app');
    reporter.end('2 stacks in cdk.out/');
    expect(output.text()).toBe(
      '  synth        …      synthesizing the CDK app\r\x1b[2K  synth        12.3 s  2 stacks in cdk.out/\n',
    );
  });

  it('say which phase failed, and pass its error on', async () => {
    const output = recorder();
    const reporter = new PhaseReporter(output, false, clock(0, 500));
    await expect(
      reporter.run(
        'emulators',
        'starting',
        async () => {
          throw new Error('Java 17 or later is required');
        },
        () => 'never',
      ),
    ).rejects.toThrow('Java 17 or later is required');
    expect(output.text()).toBe('  emulators     0.5 s  failed\n');
    expect(reporter.phases).toEqual([]);
  });

  it('say `stopped` for a phase ended by an abort (Ctrl-C while starting)', async () => {
    const output = recorder();
    const reporter = new PhaseReporter(output, false, clock(0, 1_000));
    const aborted = new AbortController();
    aborted.abort();
    await expect(
      reporter.run(
        'warm-up',
        'warming up',
        async () => aborted.signal.throwIfAborted(),
        () => 'never',
      ),
    ).rejects.toMatchObject({ name: 'AbortError' });
    expect(output.text()).toBe('  warm-up       1.0 s  stopped\n');
  });

  it('record a phase timed elsewhere, and refuse to end a phase never begun', () => {
    const output = recorder();
    const reporter = new PhaseReporter(output, false);
    reporter.record('load', 3_060, 'Node.js, tsx and the CDK libraries');
    expect(output.text()).toBe('  load          3.1 s  Node.js, tsx and the CDK libraries\n');
    expect(() => reporter.end('x')).toThrow('no phase is running');
  });
});

describe('the deploy summary', () => {
  it('counts the resources a person knows the app by, across stacks, in one order', () => {
    const summary = describeResources([
      {
        Resources: {
          A: { Type: 'AWS::DynamoDB::Table' },
          B: { Type: 'AWS::DynamoDB::Table' },
          Q: { Type: 'AWS::SQS::Queue' },
          R: { Type: 'AWS::IAM::Role' },
        },
      },
      {
        Resources: {
          F: { Type: 'AWS::Lambda::Function' },
          H: { Type: 'AWS::ApiGatewayV2::Api' },
          S: { Type: 'AWS::StepFunctions::StateMachine' },
          T: { Type: 'AWS::StepFunctions::StateMachine' },
        },
      },
      {},
    ]);
    expect(summary).toBe('1 function, 2 state machines, 2 tables, 1 queue, 1 HTTP API');
  });
});

describe('the flags', () => {
  it('default to the terminal without function output, with the warm-up', () => {
    expect(parseStartArguments([], {})).toEqual({ verbose: false, warmUp: true, help: false });
  });

  it('take --verbose, VERBOSE=1 or VERBOSE=true, and --no-warm-up', () => {
    expect(parseStartArguments(['--verbose'], {}).verbose).toBe(true);
    expect(parseStartArguments([], { VERBOSE: '1' }).verbose).toBe(true);
    expect(parseStartArguments([], { VERBOSE: 'TRUE' }).verbose).toBe(true);
    expect(parseStartArguments([], { VERBOSE: '0' }).verbose).toBe(false);
    expect(parseStartArguments(['--no-warm-up'], {}).warmUp).toBe(false);
    expect(parseStartArguments(['--verbose', '--no-warm-up'], {})).toEqual({
      verbose: true,
      warmUp: false,
      help: false,
    });
  });

  it('refuse what they do not know', () => {
    expect(() => parseStartArguments(['--warmup'], {})).toThrow(/--warmup/);
    expect(() => parseStartArguments(['now'], {})).toThrow();
  });
});

describe('the warm-up line', () => {
  const workflow = (status: WorkflowView['status'], error: unknown = null) =>
    ({ status, error }) as unknown as WorkflowView;
  const dlqMonitor = {
    rule: 'DlqMonitorSchedule',
    schedule: 'rate(1 minute)',
    functionArn: 'arn:aws:lambda:x',
  };

  it('says what ran', () => {
    expect(
      describeWarmUp({ workflow: workflow('SUCCEEDED'), scheduled: [dlqMonitor], settled: true }, 'logs/'),
    ).toBe(`a report workflow in tenant ${WARM_UP_TENANT}; 1 scheduled function run once (rate(1 minute))`);
    expect(describeWarmUp({ workflow: workflow('SUCCEEDED'), scheduled: [], settled: true }, 'logs/')).toBe(
      `a report workflow in tenant ${WARM_UP_TENANT}`,
    );
  });

  it('says when the workflow had to run twice, and why', () => {
    expect(
      describeWarmUp(
        {
          workflow: workflow('SUCCEEDED'),
          firstAttempt: workflow('FAILED', { code: 'sandbox_timedout' }),
          scheduled: [],
          settled: true,
        },
        'logs/',
      ),
    ).toBe(
      `a report workflow in tenant ${WARM_UP_TENANT}, run twice: the first ended FAILED: {"code":"sandbox_timedout"}`,
    );
  });

  it('says what went wrong and where to look', () => {
    const line = describeWarmUp(
      {
        workflow: workflow('FAILED', { code: 'step_failed' }),
        scheduled: [{ ...dlqMonitor, error: 'Unhandled' }],
        settled: false,
      },
      'logs/',
    );
    expect(line).toBe(
      `a report workflow in tenant ${WARM_UP_TENANT} ended FAILED: {"code":"step_failed"} (see logs/); ` +
        '1 scheduled function run once (rate(1 minute)); ' +
        "DlqMonitorSchedule's function failed: Unhandled (see logs/); functions still busy after 60 s",
    );
  });
});

describe('the wait for idle functions', () => {
  it('needs a quiet spell: an idle gap shorter than it between two busy spells does not end it', async () => {
    const started = performance.now();
    // Busy for 100 ms, idle for 100 ms (less than the 150 ms asked for), busy again until 400 ms.
    const inFlight = () => {
      const elapsed = performance.now() - started;
      return elapsed < 100 || (elapsed >= 200 && elapsed < 400) ? 1 : 0;
    };
    expect(await waitUntilIdle(inFlight, { quietMs: 150, limitMs: 10_000, pollMs: 10 })).toBe(true);
    expect(performance.now() - started).toBeGreaterThanOrEqual(550);
  });

  it('gives up after its limit while functions stay busy', async () => {
    const started = performance.now();
    expect(await waitUntilIdle(() => 1, { quietMs: 10, limitMs: 100, pollMs: 10 })).toBe(false);
    expect(performance.now() - started).toBeGreaterThanOrEqual(95);
  });
});
