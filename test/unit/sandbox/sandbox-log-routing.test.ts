// startSandbox's log routing and start phases, on the fixture app (DynamoDB Local included): with `log` and
// `functionLog` given, nothing reaches stdout; every function gets its destination at deploy, before it is
// ever invoked; the phases are told in order; invocationsInFlight is back to 0 once a request is answered.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type RunningSandbox, type SandboxPhase, startSandbox } from '../../../sandbox/index.ts';
import { synthesizedFixtureAssembly } from '../../fixtures/sandbox-app/synthesized-fixture.ts';

const sandboxLines: string[] = [];
const phases: { phase: SandboxPhase; functionsOpened: number }[] = [];
const opened: { logicalId: string; functionName: string }[] = [];
const stdout: string[] = [];
let sandbox: RunningSandbox;

beforeAll(async () => {
  const write = process.stdout.write.bind(process.stdout);
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk, ...rest) => {
    stdout.push(String(chunk));
    return write(chunk as string, ...(rest as []));
  });
  try {
    sandbox = await startSandbox({
      assembly: synthesizedFixtureAssembly(),
      edgePort: 0,
      apiPort: 0,
      log: (line) => sandboxLines.push(line),
      functionLog: (spec) => {
        opened.push({ logicalId: spec.logicalId, functionName: spec.functionName });
        return () => {};
      },
      onPhase: (phase) => phases.push({ phase, functionsOpened: opened.length }),
    });
  } finally {
    spy.mockRestore();
  }
});

afterAll(async () => {
  await sandbox?.stop();
});

describe('startSandbox with log and functionLog', () => {
  it('writes nothing of its own or of the functions to stdout', () => {
    expect(stdout.filter((chunk) => /^\[/.test(chunk))).toEqual([]);
  });

  it('hands its own lines to log, unprefixed', () => {
    expect(sandboxLines).toContain(`edge ${sandbox.edgeUrl}`);
    expect(sandboxLines.some((line) => line.startsWith('HTTP API SandboxFixture/'))).toBe(true);
    expect(sandboxLines.some((line) => line.startsWith('accepted without emulation: '))).toBe(true);
  });

  it("asks functionLog for every function's destination as it deploys it", () => {
    expect(opened.length).toBeGreaterThan(3);
    expect(new Set(opened.map((fn) => fn.functionName)).size).toBe(opened.length);
    for (const fn of opened) expect(fn.functionName).toContain(fn.logicalId.slice(0, 20));
  });

  it('tells the emulators phase, then the deploy phase before any function is deployed', () => {
    expect(phases).toEqual([
      { phase: 'emulators', functionsOpened: 0 },
      { phase: 'deploy', functionsOpened: 0 },
    ]);
  });

  it('counts no invocation in flight once a request has been answered', async () => {
    const response = await fetch(`${sandbox.apiUrl}/ping`);
    expect(response.status).toBe(200);
    expect(sandbox.invocationsInFlight()).toBe(0);
  });
});
