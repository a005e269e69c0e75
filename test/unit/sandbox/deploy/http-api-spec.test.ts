import { describe, expect, it } from 'vitest';
import { type HttpApiPart, httpApiSpec } from '../../../../sandbox/deploy/resources/http-api.ts';

const functionArn = (name: string) => `arn:aws:lambda:eu-west-1:000000000000:function:${name}`;
const viaApiGateway = (arn: string) =>
  `arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/${arn}/invocations`;

const parts: HttpApiPart[] = [
  {
    logicalId: 'Integration',
    type: 'AWS::ApiGatewayV2::Integration',
    ref: 'int1',
    properties: {
      ApiId: 'api1',
      IntegrationType: 'AWS_PROXY',
      IntegrationUri: functionArn('items'),
      PayloadFormatVersion: '2.0',
    },
  },
  {
    logicalId: 'Authorizer',
    type: 'AWS::ApiGatewayV2::Authorizer',
    ref: 'auth1',
    properties: {
      ApiId: 'api1',
      AuthorizerType: 'REQUEST',
      AuthorizerUri: viaApiGateway(functionArn('authorizer')),
      AuthorizerPayloadFormatVersion: '2.0',
      EnableSimpleResponses: true,
      IdentitySource: ['$request.header.Authorization'],
      Name: 'TokenAuthorizer',
    },
  },
  {
    logicalId: 'PublicRoute',
    type: 'AWS::ApiGatewayV2::Route',
    ref: 'r1',
    properties: {
      ApiId: 'api1',
      RouteKey: 'GET /ping',
      Target: 'integrations/int1',
      AuthorizationType: 'NONE',
    },
  },
  {
    logicalId: 'PrivateRoute',
    type: 'AWS::ApiGatewayV2::Route',
    ref: 'r2',
    properties: {
      ApiId: 'api1',
      RouteKey: 'GET /items/{id}',
      Target: 'integrations/int1',
      AuthorizationType: 'CUSTOM',
      AuthorizerId: 'auth1',
    },
  },
  {
    logicalId: 'Stage',
    type: 'AWS::ApiGatewayV2::Stage',
    ref: 'v1',
    properties: {
      ApiId: 'api1',
      StageName: 'v1',
      DefaultRouteSettings: { ThrottlingBurstLimit: 50, ThrottlingRateLimit: 100 },
      RouteSettings: { 'GET /ping': { ThrottlingBurstLimit: 1 } },
    },
  },
  {
    logicalId: 'OtherApiRoute',
    type: 'AWS::ApiGatewayV2::Route',
    ref: 'r3',
    properties: { ApiId: 'api2', RouteKey: 'GET /elsewhere', Target: 'integrations/int9' },
  },
];

describe('httpApiSpec', () => {
  it('assembles routes, integrations, authorizers, stage throttling and CORS of one API', () => {
    const spec = httpApiSpec(
      'Api',
      'api1',
      {
        Name: 'shop',
        ProtocolType: 'HTTP',
        CorsConfiguration: { AllowOrigins: ['https://a.example'], AllowMethods: ['GET'], MaxAge: 600 },
      },
      parts,
    );
    expect(spec).toEqual({
      logicalId: 'Api',
      apiId: 'api1',
      name: 'shop',
      routes: [
        {
          routeKey: 'GET /ping',
          functionName: functionArn('items'),
          payloadFormatVersion: '2.0',
          timeoutMs: 30_000,
        },
        {
          routeKey: 'GET /items/{id}',
          functionName: functionArn('items'),
          payloadFormatVersion: '2.0',
          timeoutMs: 30_000,
          authorizer: {
            authorizerId: 'auth1',
            name: 'TokenAuthorizer',
            functionName: functionArn('authorizer'),
            identitySources: ['$request.header.Authorization'],
            payloadFormatVersion: '2.0',
            enableSimpleResponses: true,
            resultTtlSeconds: 300,
          },
        },
      ],
      cors: {
        allowOrigins: ['https://a.example'],
        allowMethods: ['GET'],
        allowHeaders: [],
        exposeHeaders: [],
        allowCredentials: false,
        maxAgeSeconds: 600,
      },
      stageName: 'v1',
      throttling: { burstLimit: 50, rateLimit: 100 },
      // A route setting overrides the stage defaults it names and inherits the others.
      routeThrottling: { 'GET /ping': { burstLimit: 1, rateLimit: 100 } },
    });
  });

  it('serves the $default stage when the template declares none', () => {
    expect(
      httpApiSpec('Api', 'api2', {}, [
        ...parts,
        { ...parts[0]!, ref: 'int9', properties: { ...parts[0]!.properties, ApiId: 'api2' } },
      ]).stageName,
    ).toBe('$default');
  });

  it('refuses JWT authorizers and non-Lambda integrations, naming the resource', () => {
    const jwt = parts.map((part) =>
      part.logicalId === 'Authorizer'
        ? { ...part, properties: { ...part.properties, AuthorizerType: 'JWT' } }
        : part,
    );
    expect(() => httpApiSpec('Api', 'api1', {}, jwt)).toThrow(
      /Authorizer \(AWS::ApiGatewayV2::Authorizer\): AuthorizerType JWT/,
    );
    const http = parts.map((part) =>
      part.logicalId === 'Integration'
        ? { ...part, properties: { ...part.properties, IntegrationType: 'HTTP_PROXY' } }
        : part,
    );
    expect(() => httpApiSpec('Api', 'api1', {}, http)).toThrow(
      /Integration .*IntegrationType HTTP_PROXY is not emulated/,
    );
  });
});
