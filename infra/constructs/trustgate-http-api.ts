// The public HTTP API (API Gateway v2): one `$default` stage with throttling and JSON access logs, CORS
// for browser clients, and Lambda proxy routes (payload format 2.0) declared as route keys. Every route
// is behind the API-key Lambda REQUEST authorizer (simple responses, cached per Authorization header)
// except the health probes, which a load balancer or an uptime check calls without a key.
import { Duration, type RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  HttpNoneAuthorizer,
  type HttpRoute,
  HttpStage,
  type IHttpRouteAuthorizer,
  LogGroupLogDestination,
  PayloadFormatVersion,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaAuthorizer, HttpLambdaResponseType } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/** `<METHOD> <path>` as API Gateway writes route keys, e.g. `GET /v1/agents/{id}`. */
export type RouteKey = `${'GET' | 'POST' | 'PUT' | 'DELETE'} /${string}`;

export interface TrustgateHttpApiProps {
  readonly apiName: string;
  readonly throttle: { readonly rateLimit: number; readonly burstLimit: number };
  readonly logRetention: RetentionDays;
  readonly logRemovalPolicy: RemovalPolicy;
  /** The API-key authorizer function (functions/api/authorizer.handler.ts). */
  readonly authorizer: IFunction;
  /** How long API Gateway keeps an authorizer answer for one Authorization header; 0 disables the cache. */
  readonly authorizerCacheSeconds: number;
}

/** HTTP API context variables (not the REST API's), one JSON object per request. */
const ACCESS_LOG_FORMAT = AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    requestTime: '$context.requestTime',
    sourceIp: '$context.identity.sourceIp',
    routeKey: '$context.routeKey',
    status: '$context.status',
    responseLength: '$context.responseLength',
    responseLatency: '$context.responseLatency',
    integrationLatency: '$context.integrationLatency',
    integrationError: '$context.integrationErrorMessage',
  }),
);

export class TrustgateHttpApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  private readonly apiKeyAuthorizer: IHttpRouteAuthorizer;

  constructor(scope: Construct, id: string, props: TrustgateHttpApiProps) {
    super(scope, id);
    this.api = new HttpApi(this, 'Api', {
      apiName: props.apiName,
      description: 'trustgate v1 API',
      // The stage is declared below, to carry throttling and access logging.
      createDefaultStage: false,
      corsPreflight: {
        allowOrigins: ['*'],
        allowMethods: [
          CorsHttpMethod.GET,
          CorsHttpMethod.POST,
          CorsHttpMethod.PUT,
          CorsHttpMethod.DELETE,
          CorsHttpMethod.OPTIONS,
        ],
        allowHeaders: ['content-type', 'authorization'],
        // A browser client may read the rate limit it is under (docs/backend.md "Rate limits").
        exposeHeaders: ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'retry-after'],
        maxAge: Duration.hours(1),
      },
    });
    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: props.logRetention,
      removalPolicy: props.logRemovalPolicy,
    });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: props.throttle,
      accessLogSettings: { destination: new LogGroupLogDestination(accessLogs), format: ACCESS_LOG_FORMAT },
    });
    this.apiKeyAuthorizer = new HttpLambdaAuthorizer('ApiKeyAuthorizer', props.authorizer, {
      authorizerName: 'api-key',
      responseTypes: [HttpLambdaResponseType.SIMPLE],
      identitySource: ['$request.header.Authorization'],
      resultsCacheTtl: Duration.seconds(props.authorizerCacheSeconds),
    });
  }

  /** Routes every key to `handler` through one Lambda proxy integration, behind the API-key authorizer. */
  addLambdaRoutes(integrationId: string, handler: IFunction, routeKeys: readonly RouteKey[]): void {
    this.addRoutes(integrationId, handler, routeKeys, this.apiKeyAuthorizer);
  }

  /** Routes that answer without an API key: the liveness and readiness probes, nothing else. */
  addPublicLambdaRoutes(integrationId: string, handler: IFunction, routeKeys: readonly RouteKey[]): void {
    for (const route of this.addRoutes(integrationId, handler, routeKeys, new HttpNoneAuthorizer()))
      Validations.of(route).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason:
          'A health probe (GET /health, GET /ready) is unauthenticated, as probes must be; it returns check ' +
          'results, no tenant data. Every other route is behind the API-key authorizer.',
      });
  }

  private addRoutes(
    integrationId: string,
    handler: IFunction,
    routeKeys: readonly RouteKey[],
    authorizer: IHttpRouteAuthorizer,
  ): HttpRoute[] {
    const integration = new HttpLambdaIntegration(integrationId, handler, {
      payloadFormatVersion: PayloadFormatVersion.VERSION_2_0,
    });
    return routeKeys.flatMap((routeKey) => {
      const [method, path] = routeKey.split(' ') as [keyof typeof HttpMethod, string];
      return this.api.addRoutes({ path, methods: [HttpMethod[method]], integration, authorizer });
    });
  }
}
