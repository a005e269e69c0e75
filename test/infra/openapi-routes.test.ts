// The OpenAPI document against the routes the synthesized HTTP API has: the same route keys both ways, so
// a route added to the stack without its catalog entry (functions/app/openapi/route-catalog.ts) fails
// here, and so does an entry for a route that is gone; and the routes without the API-key authorizer are
// exactly the ones the document calls public.
import { beforeAll, describe, expect, it } from 'vitest';
import { OPENAPI_DOCUMENT } from '../../functions/app/openapi/openapi-document.ts';
import { documentedRouteKeys, operationOf } from '../unit/openapi/document-schemas.ts';
import { type SynthesizedApp, synthesizeTrustgateApp } from './synthesized-app.ts';

let dev: SynthesizedApp;

beforeAll(async () => {
  dev = await synthesizeTrustgateApp();
});

function deployedRoutes(): { RouteKey: string; AuthorizationType: string }[] {
  return Object.values(dev.statelessTemplate.findResources('AWS::ApiGatewayV2::Route')).map(
    (route) => route.Properties,
  );
}

describe('the OpenAPI document and the HTTP API', () => {
  it('describes every route the API has, and no other', () => {
    const deployed = deployedRoutes().map((route) => route.RouteKey);
    const documented = documentedRouteKeys(OPENAPI_DOCUMENT);
    expect(deployed.length).toBeGreaterThan(30);
    expect(
      deployed.filter((key) => !documented.includes(key)),
      'routes without documentation',
    ).toEqual([]);
    expect(
      documented.filter((key) => !deployed.includes(key)),
      'documented routes the API lacks',
    ).toEqual([]);
    expect(new Set(deployed).size).toBe(deployed.length);
  });

  it('calls public exactly the routes that answer without the authorizer', () => {
    const unauthenticated = deployedRoutes()
      .filter((route) => route.AuthorizationType === 'NONE')
      .map((route) => route.RouteKey)
      .sort();
    const publicOperations = documentedRouteKeys(OPENAPI_DOCUMENT)
      .filter((key) => operationOf(OPENAPI_DOCUMENT, key).security.length === 0)
      .sort();
    expect(unauthenticated).toEqual(['GET /health', 'GET /openapi.json', 'GET /ready']);
    expect(publicOperations).toEqual(unauthenticated);
  });
});
