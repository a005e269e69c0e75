// A scripted HTTP server on 127.0.0.1 (an ephemeral port) standing in for a provider endpoint: it records
// every request it receives and answers with whatever the test scripted for it: one fixed answer, or an
// answer computed from each request (possibly later, to hold requests in flight). It speaks HTTP/1.1 like an
// OpenAI-compatible endpoint, or cleartext HTTP/2 for the Bedrock runtime client, whose SDK talks HTTP/2 only.
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { createServer as createHttp1Server } from 'node:http';
import {
  createServer as createHttp2Server,
  type Http2ServerRequest,
  type Http2ServerResponse,
} from 'node:http2';
import type { AddressInfo, Socket } from 'node:net';
import { expect } from 'vitest';
import { EmbedderError } from '../../../functions/core/memory/embedder.ts';
import { ProviderError } from '../../../functions/providers/provider.ts';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface ScriptedResponse {
  status: number;
  headers?: Record<string, string>;
  body: unknown;
  /** Delay before answering, to let a client's timeout fire. */
  delayMs?: number;
}

/** Answers each request on its own; a promise holds the request in flight until it settles. */
export type Responder = (request: RecordedRequest) => ScriptedResponse | Promise<ScriptedResponse>;

export interface LoopbackServer {
  url: string;
  requests: RecordedRequest[];
  respondWith(response: ScriptedResponse | Responder): void;
  close(): Promise<void>;
}

type Request = IncomingMessage | Http2ServerRequest;
type Response = ServerResponse | Http2ServerResponse;

export async function startLoopbackServer(protocol: 'http1' | 'http2' = 'http1'): Promise<LoopbackServer> {
  const requests: RecordedRequest[] = [];
  let scripted: ScriptedResponse | Responder = { status: 500, body: { message: 'no response scripted' } };

  const handle = (request: Request, response: Response): void => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const recorded: RecordedRequest = {
        method: request.method ?? '',
        path: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(recorded);
      let timer: NodeJS.Timeout | undefined;
      let closed = false;
      // A client that gave up closes the stream: drop the pending answer so close() need not wait for it.
      response.on('close', () => {
        closed = true;
        clearTimeout(timer);
      });
      const answer = (scriptedResponse: ScriptedResponse): void => {
        if (closed) return;
        const { status, headers = {}, body, delayMs = 0 } = scriptedResponse;
        timer = setTimeout(() => {
          response.statusCode = status;
          for (const [name, value] of Object.entries({ 'content-type': 'application/json', ...headers })) {
            response.setHeader(name, value);
          }
          response.end(JSON.stringify(body));
        }, delayMs);
      };
      if (typeof scripted === 'function') void Promise.resolve(scripted(recorded)).then(answer);
      else answer(scripted);
    });
  };

  const server = protocol === 'http2' ? createHttp2Server(handle) : createHttp1Server(handle);
  // Both server kinds keep idle client connections open; close() ends them so the server can stop.
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    respondWith(response) {
      scripted = response;
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

/** The ProviderError a provider call rejects with; fails the test when it resolves or rejects otherwise. */
export async function failureOf(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

/** The EmbedderError an embedder call rejects with; fails the test when it resolves or rejects otherwise. */
export async function embedderFailureOf(promise: Promise<unknown>): Promise<EmbedderError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(EmbedderError);
  return error as EmbedderError;
}
