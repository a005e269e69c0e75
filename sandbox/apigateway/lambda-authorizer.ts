// A Lambda REQUEST authorizer of an HTTP API: identity sources, the authorizer event, simple and
// IAM-policy responses, and the result cache keyed by identity.
import type { HttpApiAuthorizerSpec, LambdaRuntime } from '../contracts.ts';
import { type ApiContext, routeArn } from './api-context.ts';
import type { IncomingRequest } from './incoming-request.ts';
import { buildV1AuthorizerEvent } from './payload-v1.ts';
import { buildV2AuthorizerEvent } from './payload-v2.ts';
import type { MatchedRoute } from './route-table.ts';

/** What the integration sees as `requestContext.authorizer.lambda`; null when the authorizer gave none. */
export type AuthorizerContext = Record<string, unknown> | null;

export type AuthorizationDecision =
  | { outcome: 'allow'; context: AuthorizerContext }
  | { outcome: 'unauthorized' }
  | { outcome: 'forbidden' }
  | { outcome: 'error' };

interface PolicyStatement {
  Effect?: unknown;
  Action?: unknown;
  Resource?: unknown;
}

type AuthorizerResponse =
  | { kind: 'simple'; isAuthorized: boolean; context: AuthorizerContext }
  | { kind: 'policy'; statements: PolicyStatement[]; context: AuthorizerContext };

export class LambdaAuthorizer {
  private readonly cache = new Map<string, { expiresAt: number; response: AuthorizerResponse }>();

  constructor(
    private readonly spec: HttpApiAuthorizerSpec,
    private readonly lambda: Pick<LambdaRuntime, 'invoke'>,
    private readonly api: ApiContext,
  ) {}

  async authorize(request: IncomingRequest, match: MatchedRoute): Promise<AuthorizationDecision> {
    const identity = this.spec.identitySources.map((source) =>
      resolveIdentitySource(source, request, match, this.api),
    );
    // A request missing any identity source is refused without invoking the authorizer.
    if (identity.some((value) => value === undefined || value === '')) return { outcome: 'unauthorized' };
    const identityValues = identity as string[];
    const cacheable = this.spec.resultTtlSeconds > 0 && identityValues.length > 0;
    const cacheKey = JSON.stringify(identityValues);
    const cached = cacheable ? this.cache.get(cacheKey) : undefined;
    let response = cached !== undefined && cached.expiresAt > Date.now() ? cached.response : undefined;
    if (response === undefined) {
      response = await this.invoke(request, match, identityValues);
      if (response === undefined) return { outcome: 'error' };
      if (cacheable)
        this.cache.set(cacheKey, { expiresAt: Date.now() + this.spec.resultTtlSeconds * 1000, response });
    }
    return decide(response, routeArn(this.api, request.method, request.rawPath));
  }

  private async invoke(
    request: IncomingRequest,
    match: MatchedRoute,
    identity: string[],
  ): Promise<AuthorizerResponse | undefined> {
    const event =
      this.spec.payloadFormatVersion === '2.0'
        ? buildV2AuthorizerEvent(request, match, this.api, identity)
        : buildV1AuthorizerEvent(request, match, this.api, identity);
    try {
      const result = await this.lambda.invoke(
        this.spec.functionName,
        JSON.stringify(event),
        'RequestResponse',
      );
      if (result.functionError !== undefined) return undefined;
      return parseAuthorizerResponse(JSON.parse(result.payload), this.usesSimpleResponses());
    } catch {
      return undefined;
    }
  }

  /** Simple responses exist only for payload format 2.0. */
  private usesSimpleResponses(): boolean {
    return this.spec.payloadFormatVersion === '2.0' && this.spec.enableSimpleResponses;
  }
}

function parseAuthorizerResponse(output: unknown, simple: boolean): AuthorizerResponse | undefined {
  if (typeof output !== 'object' || output === null) return undefined;
  const record = output as Record<string, unknown>;
  const context =
    typeof record.context === 'object' && record.context !== null
      ? (record.context as Record<string, unknown>)
      : null;
  if (simple) {
    return typeof record.isAuthorized === 'boolean'
      ? { kind: 'simple', isAuthorized: record.isAuthorized, context }
      : undefined;
  }
  const statements = (record.policyDocument as { Statement?: unknown } | undefined)?.Statement;
  if (!Array.isArray(statements)) return undefined;
  return { kind: 'policy', statements: statements as PolicyStatement[], context };
}

/** IAM evaluation for `execute-api:Invoke` on the route ARN: an explicit Deny wins, then any Allow. */
function decide(response: AuthorizerResponse, resourceArn: string): AuthorizationDecision {
  if (response.kind === 'simple') {
    return response.isAuthorized ? { outcome: 'allow', context: response.context } : { outcome: 'forbidden' };
  }
  const applicable = response.statements.filter(
    (statement) =>
      asList(statement.Action).some((action) => wildcardMatches(action, 'execute-api:Invoke')) &&
      asList(statement.Resource).some((resource) => wildcardMatches(resource, resourceArn)),
  );
  if (applicable.some((statement) => statement.Effect === 'Deny')) return { outcome: 'forbidden' };
  if (applicable.some((statement) => statement.Effect === 'Allow'))
    return { outcome: 'allow', context: response.context };
  return { outcome: 'forbidden' };
}

function resolveIdentitySource(
  source: string,
  request: IncomingRequest,
  match: MatchedRoute,
  api: ApiContext,
): string | undefined {
  const [scope, kind, ...rest] = source.split('.');
  const name = rest.join('.');
  if (scope === '$request' && kind === 'header') return request.headers[name.toLowerCase()];
  if (scope === '$request' && kind === 'querystring') {
    const values = request.query.getAll(name);
    return values.length > 0 ? values.join(',') : undefined;
  }
  if (scope === '$context') {
    const context: Record<string, string> = {
      apiId: api.apiId,
      stage: api.stage,
      routeKey: match.route.routeKey,
      requestId: request.requestId,
      httpMethod: request.method,
    };
    return kind === undefined ? undefined : context[kind];
  }
  // Stage variables are not emulated, so a source naming one is always missing.
  return undefined;
}

function asList(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** IAM wildcards: `*` any run of characters, `?` any one character. */
function wildcardMatches(pattern: string, value: string): boolean {
  const expression = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replaceAll('*', '.*')
    .replaceAll('?', '.');
  return new RegExp(`^${expression}$`).test(value);
}
