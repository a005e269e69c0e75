import type {
  HttpApiAuthorizerSpec,
  HttpApiCorsSpec,
  HttpApiRouteSpec,
  HttpApiSpec,
} from '../../contracts.ts';
import { generatedResourceId } from '../physical-names.ts';
import type { ResourceIdentity } from '../template-types.ts';
import { isTrue, type StackScope, UnsupportedPropertyError } from './stack-scope.ts';

type Props = Record<string, unknown>;

/** An `AWS::ApiGatewayV2::*` resource with its properties resolved, waiting to be assembled into its API. */
export interface HttpApiPart {
  logicalId: string;
  type: string;
  properties: Props;
  /** Its `Ref`: the integration, route or authorizer id, or the stage name. */
  ref: string;
}

/** Types that make up an HTTP API; each is recorded as it deploys, and the API starts once all are known. */
export const HTTP_API_PART_TYPES = [
  'AWS::ApiGatewayV2::Integration',
  'AWS::ApiGatewayV2::Route',
  'AWS::ApiGatewayV2::Authorizer',
  'AWS::ApiGatewayV2::Stage',
  'AWS::ApiGatewayV2::Deployment',
] as const;

/** API Gateway's default integration timeout for HTTP APIs. */
const DEFAULT_INTEGRATION_TIMEOUT_MS = 30_000;
/** API Gateway's default account-level throttling quota per region. */
const ACCOUNT_RATE_LIMIT = 10_000;
const ACCOUNT_BURST_LIMIT = 5_000;
/** API Gateway caches authorizer results for 5 minutes unless told otherwise. */
const DEFAULT_AUTHORIZER_TTL_SECONDS = 300;

export function validateHttpApi(logicalId: string, properties: Props): void {
  const type = 'AWS::ApiGatewayV2::Api';
  if ((properties.ProtocolType ?? 'HTTP') !== 'HTTP') {
    throw new UnsupportedPropertyError(
      logicalId,
      type,
      `only HTTP APIs are emulated, not ${String(properties.ProtocolType)}`,
    );
  }
  for (const name of ['Body', 'BodyS3Location', 'Target']) {
    if (properties[name] !== undefined)
      throw new UnsupportedPropertyError(
        logicalId,
        type,
        `${name} (OpenAPI import / quick create) is not emulated`,
      );
  }
}

export function httpApiIdentity(logicalId: string, scope: StackScope, endpoint: string): ResourceIdentity {
  const apiId = generatedResourceId(scope.stackName, logicalId);
  return { ref: apiId, attributes: { ApiId: apiId, ApiEndpoint: endpoint } };
}

/** Ref of a route, integration or authorizer is its generated id; of a stage, its name. */
export function httpApiPartIdentity(
  logicalId: string,
  type: string,
  properties: Props,
  scope: StackScope,
): ResourceIdentity {
  if (type === 'AWS::ApiGatewayV2::Stage') return { ref: String(properties.StageName), attributes: {} };
  const id = generatedResourceId(scope.stackName, logicalId, 7);
  const attribute = {
    'AWS::ApiGatewayV2::Route': 'RouteId',
    'AWS::ApiGatewayV2::Authorizer': 'AuthorizerId',
    'AWS::ApiGatewayV2::Integration': 'IntegrationId',
    'AWS::ApiGatewayV2::Deployment': 'DeploymentId',
  }[type];
  return { ref: id, attributes: attribute ? { [attribute]: id } : {} };
}

/** Assembles an API's routes, integrations, authorizers and stage into the HTTP API server's spec. */
export function httpApiSpec(
  logicalId: string,
  apiId: string,
  properties: Props,
  parts: HttpApiPart[],
): HttpApiSpec {
  const mine = parts.filter((part) => part.properties.ApiId === apiId);
  const byRef = (type: string, ref: string) => mine.find((part) => part.type === type && part.ref === ref);
  const stages = mine.filter((part) => part.type === 'AWS::ApiGatewayV2::Stage');
  if (stages.length > 1) {
    throw new UnsupportedPropertyError(
      logicalId,
      'AWS::ApiGatewayV2::Api',
      `it has ${stages.length} stages; the sandbox serves one stage per API`,
    );
  }
  const stage = stages[0]?.properties ?? { StageName: '$default' };
  const routes: HttpApiRouteSpec[] = mine
    .filter((part) => part.type === 'AWS::ApiGatewayV2::Route')
    .map((route) => {
      const target = String(route.properties.Target ?? '');
      const integration = byRef('AWS::ApiGatewayV2::Integration', target.replace(/^integrations\//, ''));
      if (!integration) {
        throw new UnsupportedPropertyError(
          route.logicalId,
          route.type,
          `its target ${target || '(none)'} is not an integration of the API`,
        );
      }
      const authorizer = routeAuthorizer(route, byRef);
      return {
        routeKey: String(route.properties.RouteKey),
        functionName: lambdaFromIntegration(integration),
        payloadFormatVersion: payloadFormat(integration.properties.PayloadFormatVersion, '2.0'),
        timeoutMs: Number(integration.properties.TimeoutInMillis ?? DEFAULT_INTEGRATION_TIMEOUT_MS),
        ...(authorizer ? { authorizer } : {}),
      };
    });
  const defaults = (stage.DefaultRouteSettings ?? {}) as Props;
  const throttling = throttlingOf(defaults);
  const routeThrottling: HttpApiSpec['routeThrottling'] = {};
  for (const [routeKey, settings] of Object.entries((stage.RouteSettings ?? {}) as Record<string, Props>)) {
    const routeLimits = throttlingOf({ ...defaults, ...settings });
    if (routeLimits) routeThrottling[routeKey] = routeLimits;
  }
  const cors = corsOf(properties.CorsConfiguration as Props | undefined);
  return {
    logicalId,
    apiId,
    name: String(properties.Name ?? logicalId),
    routes,
    ...(cors ? { cors } : {}),
    stageName: String(stage.StageName),
    ...(throttling ? { throttling } : {}),
    routeThrottling,
  };
}

function routeAuthorizer(
  route: HttpApiPart,
  byRef: (type: string, ref: string) => HttpApiPart | undefined,
): HttpApiAuthorizerSpec | undefined {
  const authorizationType = route.properties.AuthorizationType ?? 'NONE';
  if (authorizationType === 'NONE') return undefined;
  if (authorizationType !== 'CUSTOM') {
    throw new UnsupportedPropertyError(
      route.logicalId,
      route.type,
      `AuthorizationType ${String(authorizationType)} is not emulated (only CUSTOM Lambda REQUEST authorizers)`,
    );
  }
  const authorizer = byRef('AWS::ApiGatewayV2::Authorizer', String(route.properties.AuthorizerId));
  if (!authorizer)
    throw new UnsupportedPropertyError(
      route.logicalId,
      route.type,
      'its AuthorizerId names no authorizer of the API',
    );
  const properties = authorizer.properties;
  if (properties.AuthorizerType !== 'REQUEST') {
    throw new UnsupportedPropertyError(
      authorizer.logicalId,
      authorizer.type,
      `AuthorizerType ${String(properties.AuthorizerType)} is not emulated (only REQUEST)`,
    );
  }
  return {
    authorizerId: authorizer.ref,
    name: String(properties.Name ?? authorizer.logicalId),
    functionName: lambdaArnFromUri(authorizer, String(properties.AuthorizerUri ?? '')),
    identitySources: ((properties.IdentitySource as string[] | undefined) ?? []).map(String),
    payloadFormatVersion: payloadFormat(properties.AuthorizerPayloadFormatVersion, '2.0'),
    enableSimpleResponses: isTrue(properties.EnableSimpleResponses),
    resultTtlSeconds: Number(properties.AuthorizerResultTtlInSeconds ?? DEFAULT_AUTHORIZER_TTL_SECONDS),
  };
}

function lambdaFromIntegration(integration: HttpApiPart): string {
  const { IntegrationType: type, IntegrationUri: uri } = integration.properties;
  if (type !== 'AWS_PROXY') {
    throw new UnsupportedPropertyError(
      integration.logicalId,
      integration.type,
      `IntegrationType ${String(type)} is not emulated (only AWS_PROXY to Lambda)`,
    );
  }
  return lambdaArnFromUri(integration, String(uri ?? ''));
}

/** Accepts a Lambda ARN or API Gateway's `arn:aws:apigateway:<region>:lambda:path/2015-03-31/functions/<arn>/invocations`. */
function lambdaArnFromUri(part: HttpApiPart, uri: string): string {
  const wrapped = /:lambda:path\/2015-03-31\/functions\/(.+)\/invocations$/.exec(uri);
  const arn = wrapped ? wrapped[1]! : uri;
  if (!arn.startsWith('arn:aws:lambda:')) {
    throw new UnsupportedPropertyError(
      part.logicalId,
      part.type,
      `${uri || 'an empty URI'} is not a Lambda function`,
    );
  }
  return arn;
}

function payloadFormat(value: unknown, fallback: '1.0' | '2.0'): '1.0' | '2.0' {
  return value === '1.0' || value === '2.0' ? value : fallback;
}

function throttlingOf(settings: Props): { burstLimit: number; rateLimit: number } | undefined {
  if (settings.ThrottlingBurstLimit === undefined && settings.ThrottlingRateLimit === undefined)
    return undefined;
  // A limit left unset falls back to the account-level quota, as in API Gateway.
  return {
    burstLimit: Number(settings.ThrottlingBurstLimit ?? ACCOUNT_BURST_LIMIT),
    rateLimit: Number(settings.ThrottlingRateLimit ?? ACCOUNT_RATE_LIMIT),
  };
}

function corsOf(configuration: Props | undefined): HttpApiCorsSpec | undefined {
  if (!configuration) return undefined;
  const list = (value: unknown) => ((value as string[] | undefined) ?? []).map(String);
  return {
    allowOrigins: list(configuration.AllowOrigins),
    allowMethods: list(configuration.AllowMethods),
    allowHeaders: list(configuration.AllowHeaders),
    exposeHeaders: list(configuration.ExposeHeaders),
    allowCredentials: isTrue(configuration.AllowCredentials),
    ...(configuration.MaxAge !== undefined ? { maxAgeSeconds: Number(configuration.MaxAge) } : {}),
  };
}
