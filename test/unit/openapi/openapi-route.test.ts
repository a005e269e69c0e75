// GET /openapi.json through the health function's own handler (functions/api/health.handler.ts, wrapped
// as it is deployed): answered without a key, as JSON, cacheable, with the document; the probes beside it
// still answer. No AWS call is made: neither route below touches a table or a queue.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { OPENAPI_DOCUMENT } from '../../../functions/app/openapi/openapi-document.ts';
import type { HttpApiEvent, HttpApiResponse } from '../../../functions/http/http-api-event.ts';
import { httpApiEvent, testLambdaContext } from '../../support/http-api-event.ts';

vi.hoisted(() => {
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  process.env.POWERTOOLS_LOG_LEVEL = 'CRITICAL';
  // What the stack sets and the handler reads at cold start; empty: no table or queue to check.
  process.env.READINESS_TABLES = '{}';
  process.env.READINESS_QUEUES = '{}';
  process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE = '4096';
  process.env.AWS_REGION = 'us-east-1';
});

let handler: (event: HttpApiEvent, context: typeof testLambdaContext) => Promise<HttpApiResponse>;

beforeAll(async () => {
  ({ handler } = await import('../../../functions/api/health.handler.ts'));
});

describe('GET /openapi.json on the health function', () => {
  it('answers 200 without a key: the document, as cacheable JSON', async () => {
    const response = await handler(httpApiEvent('GET /openapi.json', { caller: null }), testLambdaContext);
    expect(response.statusCode).toBe(200);
    expect(response.headers).toEqual({
      'content-type': 'application/json',
      'cache-control': 'public, max-age=300',
    });
    expect(JSON.parse(response.body)).toEqual(OPENAPI_DOCUMENT);
  });

  it('leaves the liveness probe beside it answering', async () => {
    const response = await handler(httpApiEvent('GET /health', { caller: null }), testLambdaContext);
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
  });
});
