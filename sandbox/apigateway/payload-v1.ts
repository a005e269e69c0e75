// Payload format 1.0: the REST-API-shaped event HTTP APIs send when a route or authorizer asks for it.
import { type ApiContext, domainOf, routeArn } from './api-context.ts';
import { formatRequestTime, type IncomingRequest, isTextContentType } from './incoming-request.ts';
import type { AuthorizerContext } from './lambda-authorizer.ts';
import type { MatchedRoute } from './route-table.ts';

export function buildV1Event(
  request: IncomingRequest,
  match: MatchedRoute,
  api: ApiContext,
  authorizerContext: AuthorizerContext | undefined,
): Record<string, unknown> {
  const { domainName, domainPrefix } = domainOf(request, api);
  const hasBody = request.body.length > 0;
  const text = isTextContentType(request.headers['content-type']);
  return {
    version: '1.0',
    resource: match.resourcePath,
    path: request.rawPath,
    httpMethod: request.method,
    ...headerFields(request),
    ...queryFields(request),
    requestContext: {
      accountId: api.accountId,
      apiId: api.apiId,
      authorizer:
        authorizerContext === undefined ? { claims: null, scopes: null } : { lambda: authorizerContext },
      domainName,
      domainPrefix,
      extendedRequestId: request.requestId,
      httpMethod: request.method,
      identity: {
        accessKey: null,
        accountId: null,
        caller: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: request.sourceIp,
        user: null,
        userAgent: request.headers['user-agent'] ?? '',
        userArn: null,
      },
      path: request.rawPath,
      protocol: request.protocol,
      requestId: request.requestId,
      requestTime: formatRequestTime(request.receivedAt),
      requestTimeEpoch: request.receivedAt.getTime(),
      resourceId: match.route.routeKey,
      resourcePath: match.resourcePath,
      stage: api.stage,
    },
    pathParameters: match.pathParameters ?? null,
    stageVariables: null,
    body: hasBody ? request.body.toString(text ? 'utf8' : 'base64') : null,
    isBase64Encoded: hasBody && !text,
  };
}

export function buildV1AuthorizerEvent(
  request: IncomingRequest,
  match: MatchedRoute,
  api: ApiContext,
  identitySource: string[],
): Record<string, unknown> {
  const {
    body: _body,
    isBase64Encoded: _isBase64Encoded,
    ...event
  } = buildV1Event(request, match, api, undefined);
  return {
    ...event,
    type: 'REQUEST',
    methodArn: routeArn(api, request.method, request.rawPath),
    identitySource: identitySource.join(','),
    authorizationToken: identitySource.join(','),
  };
}

/** 1.0 keeps the last value of a repeated header in `headers` and every value in `multiValueHeaders`. */
function headerFields(request: IncomingRequest) {
  const headers: Record<string, string> = {};
  for (const [name, values] of Object.entries(request.multiValueHeaders))
    headers[name] = values[values.length - 1]!;
  return { headers, multiValueHeaders: request.multiValueHeaders };
}

function queryFields(request: IncomingRequest) {
  const single: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  for (const [name, value] of request.query) {
    single[name] = value;
    multi[name] = [...(multi[name] ?? []), value];
  }
  const none = Object.keys(single).length === 0;
  return {
    queryStringParameters: none ? null : single,
    multiValueQueryStringParameters: none ? null : multi,
  };
}
