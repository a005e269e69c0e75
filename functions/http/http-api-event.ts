// The API Gateway HTTP API payload format 2.0, reduced to the fields our handlers read, and the
// response shape they return. `aws-lambda`'s types are not a dependency; these follow
// https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
// Header names arrive lowercased from API Gateway; `headerValue` (request-headers.ts) still matches any case.

export interface HttpApiEvent {
  version: '2.0';
  /** `"POST /v1/agents"`, `"GET /v1/agents/{id}"`: the route as declared, which is what handlers dispatch on. */
  routeKey: string;
  rawPath: string;
  rawQueryString?: string;
  headers?: Record<string, string | undefined>;
  queryStringParameters?: Record<string, string | undefined>;
  pathParameters?: Record<string, string | undefined>;
  body?: string;
  isBase64Encoded: boolean;
  requestContext: {
    requestId: string;
    routeKey: string;
    http: { method: string; path: string };
    /** What the API-key authorizer established (core/auth/caller.ts); absent on unauthenticated routes. */
    authorizer?: { lambda?: Record<string, unknown> | null };
  };
}

export interface HttpApiResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}
