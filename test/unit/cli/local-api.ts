// A tiny HTTP server standing in for the trustgate API in the CLI tests: real HTTP on a free port of
// 127.0.0.1, answering each `METHOD /path` from a table of handlers (an unknown route is a 404 in the API's
// error shape), and recording every request (method, path, query, authorization, parsed body) so tests can
// check what the CLI sent. A handler may be a list of answers, given one per request in turn (the last
// repeats): how a workflow is made to move between polls.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliIo } from '../../../cli/cli-io.ts';

export interface Answer {
  status?: number;
  /** JSON-encoded unless `raw`. */
  body?: unknown;
  raw?: string;
  headers?: Record<string, string>;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  authorization: string | undefined;
  contentType: string | undefined;
  body: unknown;
}

type Handler = Answer | Answer[] | ((request: RecordedRequest) => Answer);

export interface LocalApi {
  url: string;
  requests: RecordedRequest[];
  /** Requests to one route key (`GET /v1/workflows/{id}` matches by prefix up to the braces). */
  requestsTo(routeKey: string): RecordedRequest[];
  close(): Promise<void>;
}

async function readBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export async function startLocalApi(routes: Record<string, Handler>): Promise<LocalApi> {
  const requests: RecordedRequest[] = [];
  const served = new Map<string, number>();
  const server: Server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const recorded: RecordedRequest = {
      method: request.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      authorization: request.headers.authorization,
      contentType: request.headers['content-type'],
      body: await readBody(request),
    };
    requests.push(recorded);
    const key = `${recorded.method} ${recorded.path}`;
    const handler = routes[key];
    let answer: Answer;
    if (handler === undefined) {
      answer = {
        status: 404,
        body: { error: { code: 'route_not_found', message: `no route ${key}`, details: [] } },
      };
    } else if (Array.isArray(handler)) {
      const index = served.get(key) ?? 0;
      served.set(key, index + 1);
      answer = handler[Math.min(index, handler.length - 1)]!;
    } else if (typeof handler === 'function') {
      answer = handler(recorded);
    } else {
      answer = handler;
    }
    response.writeHead(answer.status ?? 200, {
      'content-type': answer.raw === undefined ? 'application/json' : 'text/plain',
      ...answer.headers,
    });
    response.end(answer.raw ?? (answer.body === undefined ? '' : JSON.stringify(answer.body)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    requestsTo: (routeKey) => {
      const [method, path = ''] = routeKey.split(' ');
      const prefix = path.split('{')[0]!;
      const exact = !path.includes('{');
      return requests.filter(
        (request) =>
          request.method === method && (exact ? request.path === path : request.path.startsWith(prefix)),
      );
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** A port nothing listens on: bound, noted and released. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface CapturedIo extends CliIo {
  stdout: string;
  stderr: string;
  /** Removes the sandbox directory. */
  cleanup(): void;
}

/**
 * An io for runCli that captures both streams, with the environment given (nothing of the process's), a
 * sandbox directory of its own (with the keys given), and a clock that only sleeping moves, so polls and
 * timeouts take no real time.
 */
export function capturedIo(
  options: { env?: Record<string, string>; sandboxKeys?: { adminKey?: string; platformKey?: string } } = {},
): CapturedIo {
  const sandboxDir = mkdtempSync(join(tmpdir(), 'trustgate-cli-'));
  if (options.sandboxKeys?.adminKey)
    writeFileSync(join(sandboxDir, 'admin-key'), `${options.sandboxKeys.adminKey}\n`);
  if (options.sandboxKeys?.platformKey) {
    writeFileSync(join(sandboxDir, 'platform-key'), `${options.sandboxKeys.platformKey}\n`);
  }
  let clock = Date.UTC(2026, 0, 1);
  const io: CapturedIo = {
    stdout: '',
    stderr: '',
    out: (text) => {
      io.stdout += text;
    },
    err: (text) => {
      io.stderr += text;
    },
    env: options.env ?? {},
    sandboxDir,
    now: () => clock,
    sleep: async (millis) => {
      clock += millis;
    },
    cleanup: () => rmSync(sandboxDir, { recursive: true, force: true }),
  };
  return io;
}
