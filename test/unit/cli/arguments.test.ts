// The trustgate CLI's command line: what each command sends for its arguments and options, where the API
// URL and key come from (flags, environment, the sandbox's key files), and the usage errors (exit 2) for
// anything it cannot run — in-process (runCli) against a local HTTP server.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../../cli/cli-errors.ts';
import { runCli } from '../../../cli/run-cli.ts';
import { succeeded, WORKFLOW_ID, workflow } from './fixtures.ts';
import { type CapturedIo, capturedIo, type LocalApi, startLocalApi } from './local-api.ts';

const KEY = 'tg_dev_TestKey00001secretsecretsecretsecretsecretsecr';

let api: LocalApi;
const ios: CapturedIo[] = [];

beforeAll(async () => {
  api = await startLocalApi({
    'POST /v1/workflows': { status: 202, body: { workflowId: WORKFLOW_ID } },
    [`GET /v1/workflows/${WORKFLOW_ID}`]: {
      body: workflow({ status: 'SUCCEEDED', steps: [succeeded('research', 'research-agent', 'T3', 500)] }),
    },
    'GET /v1/workflows': { body: { items: [], nextToken: null } },
    'GET /v1/escalations': { body: { items: [], nextToken: null } },
    'POST /v1/webhooks/redrive': { body: { moved: 0 } },
  });
});

afterAll(async () => {
  await api?.close();
});

afterEach(() => {
  for (const io of ios.splice(0)) io.cleanup();
  api.requests.length = 0;
});

function io(options: Parameters<typeof capturedIo>[0] = {}): CapturedIo {
  const created = capturedIo(options);
  ios.push(created);
  return created;
}

async function cli(args: string[], given = io()): Promise<{ code: number; io: CapturedIo }> {
  const code = await runCli(args, given);
  return { code, io: given };
}

const connect = () => ['--api-url', api.url, '--api-key', KEY];

describe('run: the workflow it starts', () => {
  it('starts the report template with the task, words joined, by default', async () => {
    const { code } = await cli(['run', 'Write', 'report', 'on', 'AI', 'trends', ...connect()]);

    expect(code).toBe(EXIT.ok);
    const [start] = api.requestsTo('POST /v1/workflows');
    expect(start).toMatchObject({
      authorization: `Bearer ${KEY}`,
      contentType: 'application/json',
      body: { template: 'report', input: { task: 'Write report on AI trends' } },
    });
  });

  it('sends the template and the routing preference asked for', async () => {
    await cli([
      'run',
      'Summarize AI agents',
      '--template',
      'routing',
      '--preference',
      'quality',
      ...connect(),
    ]);

    expect(api.requestsTo('POST /v1/workflows')[0]!.body).toEqual({
      template: 'routing',
      input: { task: 'Summarize AI agents' },
      preference: 'quality',
    });
  });

  it('sends explicit steps from a --steps file, sequential unless --type says otherwise', async () => {
    const given = io();
    const file = join(given.sandboxDir, 'steps.json');
    const steps = [{ name: 'one', agentId: 'writing-agent', requiredTier: 'T2', intent: 'search_web' }];
    writeFileSync(file, JSON.stringify(steps));

    await cli(['run', 'Overreach', '--steps', file, ...connect()], given);
    await cli(['run', 'Overreach', '--steps', file, '--type', 'saga', ...connect()], io());

    expect(api.requestsTo('POST /v1/workflows').map((request) => request.body)).toEqual([
      { type: 'sequential', input: { task: 'Overreach' }, steps },
      { type: 'saga', input: { task: 'Overreach' }, steps },
    ]);
  });

  it.each([
    [['run', 'x', '--template', 'essay'], /--template <name>' argument 'essay' is invalid/],
    [['run', 'x', '--preference', 'cheap'], /--preference/],
    [['run', 'x', '--timeout', '0'], /--timeout must be a whole number from 1 to 86400/],
    [['run', 'x', '--timeout', 'soon'], /--timeout must be a whole number/],
    [
      ['run', 'x', '--template', 'report', '--steps', 'steps.json'],
      /--template and --steps exclude each other/,
    ],
    [['run', 'x', '--type', 'saga'], /--type applies to --steps only/],
    [
      ['run', 'x', '--steps', '/nonexistent/steps.json'],
      /--steps: cannot read \/nonexistent\/steps.json \(ENOENT\)/,
    ],
    [['run', '  '], /the task must not be empty/],
    [['run'], /missing required argument 'task'/],
  ])('refuses %j as a usage error, starting nothing', async (args, message) => {
    const { code, io: output } = await cli([...args, ...connect()]);

    expect(code).toBe(EXIT.usage);
    expect(output.stderr).toMatch(message);
    expect(output.stdout).toBe('');
    expect(api.requestsTo('POST /v1/workflows')).toEqual([]);
  });

  it('refuses a --steps file that is not a JSON array of steps', async () => {
    const given = io();
    const notJson = join(given.sandboxDir, 'broken.json');
    const notArray = join(given.sandboxDir, 'object.json');
    writeFileSync(notJson, '[{"name": ');
    writeFileSync(notArray, '{"steps": []}');

    expect((await cli(['run', 'x', '--steps', notJson, ...connect()], given)).code).toBe(EXIT.usage);
    expect(given.stderr).toContain('is not JSON');
    const second = await cli(['run', 'x', '--steps', notArray, ...connect()]);
    expect(second.code).toBe(EXIT.usage);
    expect(second.io.stderr).toContain('must hold a non-empty JSON array of steps');
  });
});

describe('the other commands’ arguments', () => {
  it('workflows ls sends status (any case, sent upper case), limit and next token as query parameters', async () => {
    const { code } = await cli([
      'workflows',
      'ls',
      '--status',
      'waiting_approval',
      '--limit',
      '5',
      '--next-token',
      'abc',
      ...connect(),
    ]);

    expect(code).toBe(EXIT.ok);
    expect(api.requestsTo('GET /v1/workflows')[0]!.query).toEqual({
      status: 'WAITING_APPROVAL',
      limit: '5',
      nextToken: 'abc',
    });
  });

  it('workflows ls without options sends no query parameters (the API’s defaults apply)', async () => {
    await cli(['workflows', 'ls', ...connect()]);

    expect(api.requestsTo('GET /v1/workflows')[0]!.query).toEqual({});
  });

  it('escalations ls asks for PENDING by default, and for the status given', async () => {
    await cli(['escalations', 'ls', ...connect()]);
    await cli(['escalations', 'ls', '--status', 'timed_out', ...connect()]);

    expect(api.requestsTo('GET /v1/escalations').map((request) => request.query.status)).toEqual([
      'PENDING',
      'TIMED_OUT',
    ]);
  });

  it.each([
    [['workflows', 'ls', '--limit', '0'], /--limit must be a whole number from 1 to 100/],
    [['workflows', 'ls', '--limit', '101'], /--limit must be a whole number from 1 to 100/],
    [
      ['workflows', 'ls', '--status', 'DONE'],
      /Allowed: RUNNING, QUEUED, WAITING_APPROVAL, SUCCEEDED, FAILED, COMPENSATED/,
    ],
    [['workflows', 'ls', '--stats', 'FAILED'], /unknown option '--stats'/],
    [['workflows', 'show'], /missing required argument 'id'/],
    [['workflows', 'show', 'a', 'b'], /too many arguments/],
    [['escalations', 'ls', '--status', 'OPEN'], /Allowed: PENDING, APPROVED, REJECTED, TIMED_OUT/],
    [['reject', 'esc-1'], /required option '--reason <text>' not specified/],
    [['escalations', 'reject', 'esc-1'], /required option '--reason <text>' not specified/],
    [['audit', 'verify', '--mode', 'some'], /--mode <mode>' argument 'some' is invalid/],
    [['audit', 'verify', '--from-sequence', '-1'], /--from-sequence must be a whole number/],
    [['deploy'], /unknown command 'deploy'/],
    [['workflows'], /Usage: trustgate workflows/],
    [[], /Usage: trustgate/],
  ])('refuses %j with exit 2 and says why on stderr, sending nothing', async (args, message) => {
    const { code, io: output } = await cli([...args, ...connect()]);

    expect(code).toBe(EXIT.usage);
    expect(output.stderr).toMatch(message);
    expect(api.requests).toEqual([]);
  });

  it('--help shows every command, the connection defaults and the exit codes, on stdout, exit 0', async () => {
    const { code, io: output } = await cli(['--help']);

    expect(code).toBe(EXIT.ok);
    for (const command of [
      'run',
      'workflows',
      'agents',
      'escalations',
      'approve',
      'reject',
      'audit',
      'webhooks',
    ]) {
      expect(output.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
    }
    expect(output.stdout).toContain('the contents of .sandbox/admin-key when it exists');
    expect(output.stdout).toContain('$TRUSTGATE_API_URL');
    expect(output.stdout).toContain('$TRUSTGATE_API_KEY');
    for (const code of [
      '0  ok',
      '1  the workflow did not succeed',
      '2  usage error',
      '3  the API refused',
      '4  the API is unreachable',
    ]) {
      expect(output.stdout).toContain(code);
    }
    expect(output.stderr).toBe('');
  });

  it('a subcommand’s --help shows its options and the global ones', async () => {
    const { code, io: output } = await cli(['run', '--help']);

    expect(code).toBe(EXIT.ok);
    expect(output.stdout).toContain('--template <name>');
    expect(output.stdout).toContain('--preference <preference>');
    expect(output.stdout).toContain('--api-key <key>');
    expect(output.stdout).toContain('--json');
  });

  it('a usage error with --json also puts the error, as JSON, on stdout', async () => {
    const { code, io: output } = await cli(['workflows', 'ls', '--limit', 'many', '--json']);

    expect(code).toBe(EXIT.usage);
    expect(JSON.parse(output.stdout)).toEqual({
      error: { kind: 'usage', message: expect.stringContaining('--limit must be a whole number') },
    });
  });
});

describe('the connection', () => {
  it('--api-url and --api-key win over the environment', async () => {
    const given = io({
      env: { TRUSTGATE_API_URL: 'http://127.0.0.1:1', TRUSTGATE_API_KEY: 'tg_dev_fromenvironment' },
      sandboxKeys: { adminKey: 'tg_dev_fromsandbox' },
    });

    const { code } = await cli(['workflows', 'ls', ...connect()], given);

    expect(code).toBe(EXIT.ok);
    expect(api.requests[0]!.authorization).toBe(`Bearer ${KEY}`);
  });

  it('TRUSTGATE_API_URL and TRUSTGATE_API_KEY are used when no flag is given, over the sandbox key', async () => {
    const given = io({
      env: { TRUSTGATE_API_URL: `${api.url}/`, TRUSTGATE_API_KEY: ' tg_dev_fromenvironment\n' },
      sandboxKeys: { adminKey: 'tg_dev_fromsandbox' },
    });

    const { code } = await cli(['workflows', 'ls'], given);

    expect(code).toBe(EXIT.ok);
    expect(api.requests[0]).toMatchObject({
      path: '/v1/workflows',
      authorization: 'Bearer tg_dev_fromenvironment',
    });
  });

  it('without a key given, reads the sandbox’s admin-key', async () => {
    const given = io({
      env: { TRUSTGATE_API_URL: api.url },
      sandboxKeys: { adminKey: 'tg_dev_fromsandbox' },
    });

    await cli(['workflows', 'ls'], given);

    expect(api.requests[0]!.authorization).toBe('Bearer tg_dev_fromsandbox');
  });

  it('webhooks redrive reads the sandbox’s platform-key instead, unless a key is given', async () => {
    const keys = { adminKey: 'tg_dev_admin', platformKey: 'tg_dev_platform' };

    await cli(['webhooks', 'redrive'], io({ env: { TRUSTGATE_API_URL: api.url }, sandboxKeys: keys }));
    await cli(
      ['webhooks', 'redrive', '--api-key', 'tg_dev_given'],
      io({ env: { TRUSTGATE_API_URL: api.url }, sandboxKeys: keys }),
    );

    expect(api.requests.map((request) => request.authorization)).toEqual([
      'Bearer tg_dev_platform',
      'Bearer tg_dev_given',
    ]);
  });

  it('no key anywhere is a usage error that says how to get one', async () => {
    const { code, io: output } = await cli(['workflows', 'ls', '--api-url', api.url]);

    expect(code).toBe(EXIT.usage);
    expect(output.stderr).toMatch(
      /no API key: pass --api-key or set TRUSTGATE_API_KEY, or start the sandbox \(npm start\), which writes .*admin-key/,
    );
    expect(api.requests).toEqual([]);
  });

  it.each([['not a url'], ['ftp://127.0.0.1:3000'], ['http://127.0.0.1:3000/?x=1']])(
    'refuses --api-url %s as a usage error',
    async (url) => {
      const { code, io: output } = await cli(['workflows', 'ls', '--api-url', url, '--api-key', KEY]);

      expect(code).toBe(EXIT.usage);
      expect(output.stderr).toContain('--api-url');
    },
  );

  it('global options may come before the command as well as after it', async () => {
    const { code, io: output } = await cli([
      '--json',
      '--api-url',
      api.url,
      '--api-key',
      KEY,
      'workflows',
      'ls',
    ]);

    expect(code).toBe(EXIT.ok);
    expect(JSON.parse(output.stdout)).toEqual({ items: [], nextToken: null });
  });
});
