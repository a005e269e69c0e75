import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  AwsServiceError,
  type JsonProtocolService,
  type RestRequest,
  type RestResponse,
} from '../contracts.ts';
import { type EdgeResponse, jsonErrorResponse, queryErrorResponse } from './aws-error-response.ts';
import { classifyRequest } from './classify-request.ts';
import { rewriteQueueUrls } from './queue-url-rewrite.ts';
import { callerOf, createRequestCounter, requestCountKey } from './request-counter.ts';
import { createReverseProxy } from './reverse-proxy.ts';

/** The services behind the edge. They are attached after it listens because they need its URL. */
export interface EdgeBackends {
  dynamoDbUrl: string;
  sqsUrl: string;
  jsonServices: readonly JsonProtocolService[];
  lambdaInvoke: (request: RestRequest) => Promise<RestResponse>;
}

export interface EdgeServer {
  url: string;
  port: number;
  attach(backends: EdgeBackends): void;
  /** Requests handed to each service since start or the last reset, keyed `DynamoDB.BatchGetItem` etc. */
  requestCounts(): Record<string, number>;
  /** The same counts by caller: the access key id each request was signed with. */
  requestCountsByCaller(): Record<string, Record<string, number>>;
  resetRequestCounts(): void;
  stop(): Promise<void>;
}

/** Step Functions speaks JSON 1.0, EventBridge JSON 1.1; answer in the version the client used. */
const DEFAULT_JSON_CONTENT_TYPE = 'application/x-amz-json-1.1';

/** One HTTP port speaking every AWS wire protocol the sandbox serves, like LocalStack's edge. */
export async function startEdgeServer(options: { port: number; host: string }): Promise<EdgeServer> {
  let backends: EdgeBackends | undefined;
  const proxy = createReverseProxy();
  const requestCounter = createRequestCounter();

  const server = createServer((incoming, outgoing) => {
    readBody(incoming)
      .then((body) => route(incoming, body, outgoing))
      .catch((error: unknown) => {
        if (!outgoing.headersSent) send(outgoing, jsonErrorResponse(error, jsonContentTypeOf(incoming)));
        else outgoing.destroy();
      });
  });

  async function route(incoming: IncomingMessage, body: Buffer, outgoing: ServerResponse): Promise<void> {
    const contentType = jsonContentTypeOf(incoming);
    if (!backends) {
      send(
        outgoing,
        jsonErrorResponse(
          new AwsServiceError('ServiceUnavailable', 'The sandbox is still starting', 503),
          contentType,
        ),
      );
      return;
    }
    const url = new URL(incoming.url ?? '/', 'http://edge');
    const headers = lowerCaseHeaders(incoming);
    const destination = classifyRequest(
      { path: url.pathname, headers, body },
      backends.jsonServices.map((service) => service.targetPrefix),
    );
    const countKey = requestCountKey(destination, headers['x-amz-target']);
    if (countKey !== undefined) requestCounter.record(countKey, callerOf(headers));
    switch (destination.kind) {
      case 'dynamodb':
        return proxy.forward(incoming, body, outgoing, backends.dynamoDbUrl);
      case 'sqs':
        return proxy.forward(incoming, body, outgoing, backends.sqsUrl, {
          rewriteResponseBody: (answer) => rewriteQueueUrls(answer, `http://${headers.host ?? 'localhost'}`),
        });
      case 'sqs-query':
        send(
          outgoing,
          queryErrorResponse(
            'InvalidAction',
            `SQS ${destination.action} arrived in the query protocol (form-encoded Action=), which this sandbox's SQS (fauxqs) does not speak. Use a client that sends the SQS JSON protocol (AWS SDK v3 >= 3.446, AWS CLI v2 >= 2.15).`,
          ),
        );
        return;
      case 'json-service': {
        const service = backends.jsonServices.find(
          (candidate) => candidate.targetPrefix === destination.targetPrefix,
        )!;
        send(outgoing, await callJsonService(service, destination.operation, body, contentType));
        return;
      }
      case 'lambda-invoke': {
        const response = await backends.lambdaInvoke({
          method: incoming.method ?? 'GET',
          path: url.pathname,
          query: url.searchParams,
          headers,
          body,
        });
        outgoing.writeHead(response.statusCode, response.headers);
        outgoing.end(response.body);
        return;
      }
      case 'unrecognised':
        send(
          outgoing,
          jsonErrorResponse(
            new AwsServiceError(
              'UnrecognizedClientException',
              `Not recognised by the sandbox edge: ${destination.reason}`,
            ),
            contentType,
          ),
        );
        return;
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${options.host}:${port}`,
    port,
    attach: (attached) => {
      backends = attached;
    },
    requestCounts: () => requestCounter.counts(),
    requestCountsByCaller: () => requestCounter.countsByCaller(),
    resetRequestCounts: () => requestCounter.reset(),
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        proxy.close();
      }),
  };
}

async function callJsonService(
  service: JsonProtocolService,
  operation: string,
  body: Buffer,
  contentType: string,
): Promise<EdgeResponse> {
  let input: Record<string, unknown>;
  try {
    input = body.length === 0 ? {} : (JSON.parse(body.toString('utf8')) as Record<string, unknown>);
  } catch {
    return jsonErrorResponse(
      new AwsServiceError('SerializationException', 'The request body is not valid JSON'),
      contentType,
    );
  }
  try {
    const output = await service.handle(operation, input);
    return { statusCode: 200, headers: { 'content-type': contentType }, body: JSON.stringify(output ?? {}) };
  } catch (error) {
    return jsonErrorResponse(error, contentType);
  }
}

function jsonContentTypeOf(incoming: IncomingMessage): string {
  const version = /application\/x-amz-json-1\.[01]/.exec(incoming.headers['content-type'] ?? '');
  return version ? version[0] : DEFAULT_JSON_CONTENT_TYPE;
}

function readBody(incoming: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => resolve(Buffer.concat(chunks)));
    incoming.on('error', reject);
  });
}

function lowerCaseHeaders(incoming: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(incoming.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

function send(outgoing: ServerResponse, response: EdgeResponse): void {
  outgoing.writeHead(response.statusCode, response.headers);
  outgoing.end(response.body);
}
