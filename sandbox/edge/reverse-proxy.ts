import { Agent, type IncomingMessage, request, type ServerResponse } from 'node:http';

export interface ForwardOptions {
  /** Rewrites the upstream's answer before it reaches the client (the whole body is buffered then). */
  rewriteResponseBody?: (body: string) => string;
}

export interface ReverseProxy {
  /** Forwards a request unchanged (method, path, headers, body) to `targetBaseUrl` and relays the answer. */
  forward(
    incoming: IncomingMessage,
    body: Buffer,
    outgoing: ServerResponse,
    targetBaseUrl: string,
    options?: ForwardOptions,
  ): Promise<void>;
  close(): void;
}

export function createReverseProxy(): ReverseProxy {
  // Reused connections to the emulators: a TCP handshake per call would dominate local latency.
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  return {
    forward: (incoming, body, outgoing, targetBaseUrl, options = {}) =>
      new Promise((resolve) => {
        const upstream = request(
          new URL(incoming.url ?? '/', targetBaseUrl),
          { method: incoming.method, headers: incoming.headers, agent },
          (upstreamResponse) => {
            const status = upstreamResponse.statusCode ?? 502;
            const { rewriteResponseBody } = options;
            if (!rewriteResponseBody) {
              outgoing.writeHead(status, upstreamResponse.headers);
              upstreamResponse.pipe(outgoing);
              upstreamResponse.on('end', resolve);
              return;
            }
            const chunks: Buffer[] = [];
            upstreamResponse.on('data', (chunk: Buffer) => chunks.push(chunk));
            upstreamResponse.on('end', () => {
              const rewritten = Buffer.from(rewriteResponseBody(Buffer.concat(chunks).toString('utf8')));
              outgoing.writeHead(status, {
                ...upstreamResponse.headers,
                'content-length': String(rewritten.length),
              });
              outgoing.end(rewritten);
              resolve();
            });
          },
        );
        upstream.on('error', (error) => {
          if (outgoing.headersSent) {
            outgoing.destroy();
          } else {
            outgoing.writeHead(503, {
              'content-type': 'application/json',
              'x-amzn-errortype': 'ServiceUnavailable',
            });
            outgoing.end(
              JSON.stringify({
                __type: 'ServiceUnavailable',
                message: `${targetBaseUrl} did not answer: ${error.message}`,
              }),
            );
          }
          resolve();
        });
        upstream.end(body);
      }),
    close: () => agent.destroy(),
  };
}
