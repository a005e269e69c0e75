// Payload format 2.0: the event HTTP APIs send to a Lambda proxy integration and to a Lambda
// REQUEST authorizer, field for field as API Gateway builds it.
import { type ApiContext, domainOf, routeArn } from './api-context.ts';
import {
  formatRequestTime,
  type IncomingRequest,
  isTextContentType,
  joinedQueryParameters,
} from './incoming-request.ts';
import type { AuthorizerContext } from './lambda-authorizer.ts';
import type { MatchedRoute } from './route-table.ts';

export interface V2RequestContext {
  accountId: string;
  apiId: string;
  authorizer?: { lambda: Record<string, unknown> | null };
  domainName: string;
  domainPrefix: string;
  http: { method: string; path: string; protocol: string; sourceIp: string; userAgent: string };
  requestId: string;
  routeKey: string;
  stage: string;
  time: string;
  timeEpoch: number;
}

/** The fields the proxy event and the authorizer event have in common. */
function commonFields(request: IncomingRequest, match: MatchedRoute, api: ApiContext) {
  const { cookie, ...headers } = request.headers;
  const { domainName, domainPrefix } = domainOf(request, api);
  const requestContext: V2RequestContext = {
    accountId: api.accountId,
    apiId: api.apiId,
    domainName,
    domainPrefix,
    http: {
      method: request.method,
      path: request.rawPath,
      protocol: request.protocol,
      sourceIp: request.sourceIp,
      userAgent: request.headers['user-agent'] ?? '',
    },
    requestId: request.requestId,
    routeKey: match.route.routeKey,
    stage: api.stage,
    time: formatRequestTime(request.receivedAt),
    timeEpoch: request.receivedAt.getTime(),
  };
  return {
    routeKey: match.route.routeKey,
    rawPath: request.rawPath,
    rawQueryString: request.rawQueryString,
    // Cookies leave the headers for their own field.
    ...(cookie === undefined ? {} : { cookies: cookie.split(/;\s*/).filter((value) => value !== '') }),
    headers,
    ...optional('queryStringParameters', joinedQueryParameters(request.query)),
    requestContext,
    ...optional('pathParameters', match.pathParameters),
  };
}

export function buildV2Event(
  request: IncomingRequest,
  match: MatchedRoute,
  api: ApiContext,
  authorizerContext: AuthorizerContext | undefined,
): Record<string, unknown> {
  const common = commonFields(request, match, api);
  if (authorizerContext !== undefined) common.requestContext.authorizer = { lambda: authorizerContext };
  const event: Record<string, unknown> = { version: '2.0', ...common };
  if (request.body.length > 0) {
    const text = isTextContentType(request.headers['content-type']);
    event.body = text ? request.body.toString('utf8') : request.body.toString('base64');
    event.isBase64Encoded = !text;
  } else {
    event.isBase64Encoded = false;
  }
  return event;
}

export function buildV2AuthorizerEvent(
  request: IncomingRequest,
  match: MatchedRoute,
  api: ApiContext,
  identitySource: string[],
): Record<string, unknown> {
  return {
    version: '2.0',
    type: 'REQUEST',
    routeArn: routeArn(api, request.method, request.rawPath),
    identitySource,
    ...commonFields(request, match, api),
  };
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
