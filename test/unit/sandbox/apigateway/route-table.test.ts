import { describe, expect, it } from 'vitest';
import { RouteTable } from '../../../../sandbox/apigateway/route-table.ts';
import type { HttpApiRouteSpec } from '../../../../sandbox/contracts.ts';

function routes(...routeKeys: string[]): HttpApiRouteSpec[] {
  return routeKeys.map((routeKey) => ({
    routeKey,
    functionName: routeKey,
    payloadFormatVersion: '2.0',
    timeoutMs: 1000,
  }));
}

describe('HTTP API route selection', () => {
  // The example of the API Gateway developer guide, "Routing API requests".
  const table = new RouteTable(
    routes('$default', 'ANY /{proxy+}', 'GET /pets/{proxy+}', 'GET /pets/dog/{id}', 'GET /pets/dog/1'),
  );

  it.each([
    ['GET', '/pets/dog/1', 'GET /pets/dog/1'],
    ['GET', '/pets/dog/2', 'GET /pets/dog/{id}'],
    ['GET', '/pets/cat/1', 'GET /pets/{proxy+}'],
    ['POST', '/pets/cat/1', 'ANY /{proxy+}'],
    ['GET', '/', '$default'],
  ])('routes %s %s to %s', (method, path, routeKey) => {
    expect(table.match(method, path)?.route.routeKey).toBe(routeKey);
  });

  it('prefers a method-specific route over ANY on the same path', () => {
    const methods = new RouteTable(routes('ANY /orders', 'POST /orders'));
    expect(methods.match('POST', '/orders')?.route.routeKey).toBe('POST /orders');
    expect(methods.match('GET', '/orders')?.route.routeKey).toBe('ANY /orders');
  });

  it('extracts decoded path parameters and the greedy remainder', () => {
    expect(table.match('GET', '/pets/dog/a%20b')?.pathParameters).toEqual({ id: 'a b' });
    expect(table.match('GET', '/pets/cat/x/y')?.pathParameters).toEqual({ proxy: 'cat/x/y' });
    expect(table.match('GET', '/pets/dog/1')?.pathParameters).toBeUndefined();
  });

  it('matches nothing without a $default route', () => {
    const noDefault = new RouteTable(routes('GET /health'));
    expect(noDefault.match('GET', '/missing')).toBeUndefined();
    expect(noDefault.match('POST', '/health')).toBeUndefined();
    // A greedy variable needs at least one segment.
    expect(new RouteTable(routes('GET /files/{proxy+}')).match('GET', '/files')).toBeUndefined();
  });
});
