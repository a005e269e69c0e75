// bin/trustgate.mjs, the `npx trustgate` entry, as a user's shell runs it: a separate Node process that
// registers tsx and loads cli/trustgate.ts from the checkout (no build step), talks real HTTP to a local
// server, writes to its own stdout and stderr, and exits with the CLI's code — and promptly, with nothing
// left holding the process open.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../../cli/cli-errors.ts';
import { step, succeeded, WORKFLOW_ID, workflow } from './fixtures.ts';
import { closedPort, type LocalApi, startLocalApi } from './local-api.ts';

const BIN = fileURLToPath(new URL('../../../bin/trustgate.mjs', import.meta.url));

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the bin with Node (this test's), without any TRUSTGATE_* of the environment. */
function trustgate(args: string[]): Promise<Finished> {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('TRUSTGATE_')),
  );
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env, timeout: 20_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, stdout, stderr });
    });
  });
}

let api: LocalApi;

beforeAll(async () => {
  api = await startLocalApi({
    'POST /v1/workflows': (request) => ({
      status: 202,
      body: {
        workflowId: (request.body as { template?: string }).template === 'report' ? WORKFLOW_ID : 'denied',
      },
    }),
    [`GET /v1/workflows/${WORKFLOW_ID}`]: [
      {
        body: workflow({ steps: [step({ name: 'research', agentId: 'research-agent', status: 'PENDING' })] }),
      },
      {
        body: workflow({
          status: 'SUCCEEDED',
          steps: [succeeded('research', 'research-agent', 'T3', 500)],
          result: 'The report on AI trends.',
        }),
      },
    ],
    'GET /v1/workflows/denied': {
      body: workflow({
        workflowId: 'denied',
        template: null,
        status: 'FAILED',
        steps: [
          step({
            name: 'overreach',
            agentId: 'writing-agent',
            decision: 'DENY',
            reasons: ['not in the manifest'],
            status: 'FAILED',
            error: { code: 'step_denied', message: 'denied search_web' },
          }),
        ],
        error: { code: 'step_denied', message: 'denied search_web', step: 'overreach' },
      }),
    },
  });
});

afterAll(async () => {
  await api?.close();
});

describe('bin/trustgate.mjs', () => {
  it('--help: the usage with the exit codes, exit 0', async () => {
    const { code, stdout, stderr } = await trustgate(['--help']);

    expect(code).toBe(EXIT.ok);
    expect(stdout).toMatch(/^Usage: trustgate \[options\] \[command\]/);
    expect(stdout).toContain('Exit codes:');
    expect(stderr).toBe('');
  });

  it('runs a workflow to its result over HTTP: exit 0, the step and the result on stdout', async () => {
    const { code, stdout, stderr } = await trustgate([
      'run',
      'Write report on AI trends',
      '--api-url',
      api.url,
      '--api-key',
      'tg_dev_key',
    ]);

    expect(stderr).toBe('');
    expect(code).toBe(EXIT.ok);
    expect(stdout).toContain('✓ research       research-agent  T3  ALLOW    500 tokens, 42 ms');
    expect(stdout.trimEnd().endsWith('The report on AI trends.')).toBe(true);
  });

  it('a denied workflow with --json: exit 1, stdout one JSON document', async () => {
    const { code, stdout } = await trustgate([
      'run',
      'Overreach',
      '--template',
      'saga',
      '--json',
      '--api-url',
      api.url,
      '--api-key',
      'tg_dev_key',
    ]);

    expect(code).toBe(EXIT.notSucceeded);
    expect(JSON.parse(stdout)).toMatchObject({
      workflowId: 'denied',
      status: 'FAILED',
      error: { code: 'step_denied' },
    });
  });

  it('an API nobody answers: exit 4 with one line on stderr, no stack trace', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;

    const { code, stdout, stderr } = await trustgate([
      'agents',
      'ls',
      '--api-url',
      url,
      '--api-key',
      'tg_dev_key',
    ]);

    expect(code).toBe(EXIT.unavailable);
    expect(stdout).toBe('');
    expect(stderr.trimEnd().split('\n')).toEqual([
      expect.stringContaining(`cannot reach the trustgate API at ${url}`),
    ]);
  });

  it('a usage error: exit 2', async () => {
    const { code, stderr } = await trustgate([
      'workflows',
      'ls',
      '--limit',
      '1000',
      '--api-key',
      'tg_dev_key',
    ]);

    expect(code).toBe(EXIT.usage);
    expect(stderr).toContain('--limit must be a whole number from 1 to 100');
  });
});
