// How the CLI's outcomes map to its exit codes, which scripts rely on: 0 ok; 1 a workflow that did not
// succeed, an audit trail that does not verify; 3 a 4xx (its code, message and fields printed); 4 an API
// that is unreachable, fails (5xx) or answers something unreadable. Real HTTP to a local server, in-process.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../../cli/cli-errors.ts';
import { runCli } from '../../../cli/run-cli.ts';
import { step, succeeded, workflow } from './fixtures.ts';
import { type CapturedIo, capturedIo, closedPort, type LocalApi, startLocalApi } from './local-api.ts';

let api: LocalApi;
const ios: CapturedIo[] = [];

const denied = workflow({
  status: 'FAILED',
  steps: [
    step({
      name: 'overreach',
      agentId: 'writing-agent',
      agentTier: 'T2',
      intent: 'search_web',
      decision: 'DENY',
      reasons: ['search_web is not in the manifest of writing-agent'],
      status: 'FAILED',
      error: { code: 'step_denied', message: 'writing-agent was denied search_web on web' },
    }),
  ],
  error: { code: 'step_denied', message: 'writing-agent was denied search_web on web', step: 'overreach' },
});

beforeAll(async () => {
  api = await startLocalApi({
    'GET /v1/workflows/succeeded': {
      body: workflow({ status: 'SUCCEEDED', steps: [succeeded('research', 'research-agent', 'T3', 500)] }),
    },
    'GET /v1/workflows/denied': { body: denied },
    'GET /v1/workflows/missing': {
      status: 404,
      body: {
        error: {
          code: 'workflow_not_found',
          message: 'workflow "missing" does not exist',
          details: [{ field: 'pathParameters.id', message: 'no such workflow' }],
        },
      },
    },
    'GET /v1/workflows': {
      status: 400,
      body: {
        error: {
          code: 'validation_failed',
          message: 'the request is invalid',
          details: [
            { field: 'queryStringParameters.nextToken', message: 'nextToken is not a token this API issued' },
          ],
        },
      },
    },
    // API Gateway's own answer to a request without a key never reaches a function.
    'GET /v1/agents': { status: 401, body: { message: 'Unauthorized' } },
    'GET /v1/escalations': {
      status: 503,
      body: { error: { code: 'queue_full', message: 'try later', details: [] } },
    },
    'GET /v1/audit/verify': { status: 502, raw: 'Bad Gateway' },
    'POST /v1/webhooks/redrive': { status: 200, raw: '<html>not the API</html>' },
    'POST /v1/escalations/esc-1/approve': {
      status: 403,
      body: {
        error: {
          code: 'forbidden',
          message: 'answering an escalation needs the reviewer role',
          details: [{ field: 'headers.authorization', message: 'roles: operator' }],
        },
      },
    },
  });
});

afterAll(async () => {
  await api?.close();
});

afterEach(() => {
  for (const io of ios.splice(0)) io.cleanup();
});

async function cli(args: string[], apiUrl = api.url): Promise<{ code: number; io: CapturedIo }> {
  const io = capturedIo();
  ios.push(io);
  const code = await runCli([...args, '--api-url', apiUrl, '--api-key', 'tg_dev_key'], io);
  return { code, io };
}

/** No stack frame, no "Error:" dump: what a user sees is the CLI's own message. */
function expectNoStackTrace(text: string): void {
  expect(text).not.toMatch(/\n\s+at |\.ts:\d+:\d+|Error: /);
}

describe('exit 0 and 1', () => {
  it('0 for a command that did what it was asked', async () => {
    const { code, io } = await cli(['workflows', 'show', 'succeeded']);

    expect(code).toBe(EXIT.ok);
    expect(io.stderr).toBe('');
  });

  it('0 for showing a workflow that failed: showing it worked (only run reports the outcome as 1)', async () => {
    const { code, io } = await cli(['workflows', 'show', 'denied']);

    expect(code).toBe(EXIT.ok);
    expect(io.stdout).toContain('step_denied at step overreach');
  });
});

describe('exit 3: the API refused', () => {
  it('prints the error code, message and named field of a 4xx', async () => {
    const { code, io } = await cli(['workflows', 'show', 'missing']);

    expect(code).toBe(EXIT.refused);
    expect(io.stderr).toContain(
      'GET /v1/workflows/missing was refused: 404 workflow_not_found: workflow "missing" does not exist',
    );
    expect(io.stderr).toContain('pathParameters.id: no such workflow');
    expect(io.stdout).toBe('');
    expectNoStackTrace(io.stderr);
  });

  it('with --json, stdout is the refusal as one JSON document', async () => {
    const { code, io } = await cli(['workflows', 'ls', '--next-token', 'forged', '--json']);

    expect(code).toBe(EXIT.refused);
    expect(JSON.parse(io.stdout)).toEqual({
      error: {
        kind: 'api_refused',
        request: 'GET /v1/workflows',
        status: 400,
        code: 'validation_failed',
        message: 'the request is invalid',
        details: [
          { field: 'queryStringParameters.nextToken', message: 'nextToken is not a token this API issued' },
        ],
      },
    });
  });

  it('names API Gateway’s own refusals (no error body) by their status', async () => {
    const { code, io } = await cli(['agents', 'ls']);

    expect(code).toBe(EXIT.refused);
    expect(io.stderr).toContain('GET /v1/agents was refused: 401 unauthorized: Unauthorized');
  });

  it('a reviewer action without the reviewer role is refused with the role named', async () => {
    const { code, io } = await cli(['approve', 'esc-1']);

    expect(code).toBe(EXIT.refused);
    expect(io.stderr).toContain('403 forbidden: answering an escalation needs the reviewer role');
    expect(io.stderr).toContain('headers.authorization: roles: operator');
  });
});

describe('exit 4: the API is unreachable or failed', () => {
  it('nothing listening: says where it tried and what to check', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;

    const { code, io } = await cli(['workflows', 'ls'], url);

    expect(code).toBe(EXIT.unavailable);
    expect(io.stderr).toContain(`cannot reach the trustgate API at ${url} (ECONNREFUSED)`);
    expect(io.stderr).toContain('npm start');
    expectNoStackTrace(io.stderr);
  });

  it('a 5xx with the API’s error body', async () => {
    const { code, io } = await cli(['escalations', 'ls', '--json']);

    expect(code).toBe(EXIT.unavailable);
    expect(io.stderr).toContain('GET /v1/escalations failed: 503 queue_full: try later');
    expect(JSON.parse(io.stdout)).toMatchObject({
      error: { kind: 'api_unavailable', status: 503, code: 'queue_full' },
    });
  });

  it('a 5xx that is not JSON', async () => {
    const { code, io } = await cli(['audit', 'verify']);

    expect(code).toBe(EXIT.unavailable);
    expect(io.stderr).toContain('GET /v1/audit/verify failed: 502: Bad Gateway');
  });

  it('a 2xx that is not JSON: not a trustgate API', async () => {
    const { code, io } = await cli(['webhooks', 'redrive']);

    expect(code).toBe(EXIT.unavailable);
    expect(io.stderr).toContain('answered 200 with something that is not JSON');
  });
});
