// An API Gateway HTTP API on a local port: CORS preflight, route selection, stage throttling, Lambda
// REQUEST authorizers and Lambda proxy integrations with payload formats 2.0 and 1.0.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HttpApiRouteSpec, HttpApiSpec, LambdaInvokeResult, LambdaRuntime } from '../contracts.ts';
import { createApiContext, pathWithinStage } from './api-context.ts';
import { CorsPolicy } from './cors.ts';
import { type IncomingRequest, readIncomingRequest } from './incoming-request.ts';
import {
  type HttpResponse,
  internalServerError,
  jsonMessage,
  mapIntegrationResponse,
} from './integration-response.ts';
import { type AuthorizerContext, LambdaAuthorizer } from './lambda-authorizer.ts';
import { buildV1Event } from './payload-v1.ts';
import { buildV2Event } from './payload-v2.ts';
import { type MatchedRoute, RouteTable } from './route-table.ts';
import { TokenBucket } from './token-bucket.ts';

export interface HttpApiOptions {
  lambda: Pick<LambdaRuntime, 'invoke'>;
  port: number;
  host?: string;
  /** The region in ARNs the API mints (route ARNs for authorizers). */
  region?: string;
}

export interface RunningHttpApi {
  url: string;
  stop(): Promise<void>;
}

/** HTTP API's request payload quota. */
const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;
/** HTTP API's hard cap on an integration's timeout. */
const MAX_INTEGRATION_TIMEOUT_MS = 30_000;

export async function startHttpApi(spec: HttpApiSpec, options: HttpApiOptions): Promise<RunningHttpApi> {
  const api = createApiContext(
    spec.apiId,
    spec.stageName,
    options.region ?? process.env.AWS_REGION ?? 'us-east-1',
  );
  const routes = new RouteTable(spec.routes);
  const cors = spec.cors === undefined ? undefined : new CorsPolicy(spec.cors);
  const authorizers = new Map<string, LambdaAuthorizer>();
  const buckets = new Map<string, TokenBucket>();
  for (const route of spec.routes) {
    const limits = spec.routeThrottling[route.routeKey] ?? spec.throttling;
    if (limits !== undefined)
      buckets.set(route.routeKey, new TokenBucket(limits.rateLimit, limits.burstLimit));
    const authorizer = route.authorizer;
    if (authorizer !== undefined && !authorizers.has(authorizer.authorizerId)) {
      authorizers.set(authorizer.authorizerId, new LambdaAuthorizer(authorizer, options.lambda, api));
    }
  }

  /** API Gateway answers CORS preflights itself, before route selection, throttling or authorization. */
  async function answer(request: IncomingRequest): Promise<HttpResponse> {
    if (cors?.isPreflight(request.method, request.headers)) {
      return { statusCode: 204, headers: cors.preflightHeaders(request.headers), body: Buffer.alloc(0) };
    }
    const response = await respond(request).catch(() => internalServerError());
    cors?.applyTo(response.headers, request.headers);
    return response;
  }

  async function respond(request: IncomingRequest): Promise<HttpResponse> {
    const path = pathWithinStage(api, request.rawPath);
    const match = path === undefined ? undefined : routes.match(request.method, path);
    if (match === undefined) return jsonMessage(404, 'Not Found');
    if (buckets.get(match.route.routeKey)?.tryTake() === false) return jsonMessage(429, 'Too Many Requests');

    let authorizerContext: AuthorizerContext | undefined;
    const authorizerSpec = match.route.authorizer;
    if (authorizerSpec !== undefined) {
      const decision = await authorizers.get(authorizerSpec.authorizerId)!.authorize(request, match);
      if (decision.outcome === 'unauthorized') return jsonMessage(401, 'Unauthorized');
      if (decision.outcome === 'forbidden') return jsonMessage(403, 'Forbidden');
      if (decision.outcome === 'error') return internalServerError();
      authorizerContext = decision.context;
    }
    return integrate(match, request, authorizerContext);
  }

  async function integrate(
    match: MatchedRoute,
    request: IncomingRequest,
    authorizerContext: AuthorizerContext | undefined,
  ): Promise<HttpResponse> {
    const route = match.route;
    const event =
      route.payloadFormatVersion === '2.0'
        ? buildV2Event(request, match, api, authorizerContext)
        : buildV1Event(request, match, api, authorizerContext);
    const result = await invokeWithin(route, JSON.stringify(event));
    if (result === 'timeout') return jsonMessage(503, 'Service Unavailable');
    if (result === 'failed') return internalServerError();
    return mapIntegrationResponse(result, route.payloadFormatVersion);
  }

  /** The function keeps running after an integration timeout, as it does in AWS; only the client stops waiting. */
  function invokeWithin(
    route: HttpApiRouteSpec,
    payload: string,
  ): Promise<LambdaInvokeResult | 'timeout' | 'failed'> {
    return new Promise((resolve) => {
      const timer = setTimeout(
        () => resolve('timeout'),
        Math.min(route.timeoutMs, MAX_INTEGRATION_TIMEOUT_MS),
      );
      options.lambda.invoke(route.functionName, payload, 'RequestResponse').then(
        (result) => {
          clearTimeout(timer);
          resolve(result);
        },
        () => {
          clearTimeout(timer);
          resolve('failed');
        },
      );
    });
  }

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_PAYLOAD_BYTES) chunks.push(chunk);
    });
    req.on('end', () => {
      const request = readIncomingRequest(req, Buffer.concat(chunks));
      const responding =
        size > MAX_PAYLOAD_BYTES
          ? Promise.resolve(jsonMessage(413, 'Request Entity Too Large'))
          : answer(request);
      responding.then((response) => {
        response.headers['apigw-requestid'] = request.requestId;
        res.writeHead(response.statusCode, response.headers).end(response.body);
      });
    });
  }

  const server = createServer(handle);
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    async stop(): Promise<void> {
      const closed = new Promise((resolve) => server.close(resolve));
      server.closeAllConnections();
      await closed;
    },
  };
}
