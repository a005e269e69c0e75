// GET /health through the public router: the liveness answer's status, body and headers. (GET /ready runs
// against real emulators: test/integration/health.)
import { describe, expect, it, vi } from 'vitest';
import { healthRoutes } from '../../../functions/app/health/health-routes.ts';
import type { MemoryInUse } from '../../../functions/app/health/memory-in-use.ts';
import { routePublicRequest } from '../../../functions/http/http-router.ts';
import { httpApiEvent, responseJson } from '../../support/http-api-event.ts';

// Before the router's modules create their logger and metrics: failing probes log a warning.
vi.hoisted(() => {
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
});

const MIB = 1024 * 1024;
const unused = {
  send: () => {
    throw new Error('liveness must not call AWS');
  },
};

function health(memoryLimit: string | undefined, used: MemoryInUse) {
  return routePublicRequest(
    healthRoutes({
      memoryLimit,
      memoryInUse: () => used,
      dynamodb: unused,
      tables: {},
      sqs: unused,
      queues: {},
      loadPolicies: () => {
        throw new Error('liveness must not load policies');
      },
    }),
  )(httpApiEvent('GET /health'));
}

describe('GET /health', () => {
  it('answers 200 ok with the memory figures, JSON, never cached, without any caller', async () => {
    const response = await health('512', { bytes: 100 * MIB, measure: 'rss' });
    expect(response.statusCode).toBe(200);
    expect(response.headers).toEqual({ 'content-type': 'application/json', 'cache-control': 'no-store' });
    expect(responseJson(response)).toEqual({
      status: 'ok',
      checks: {
        memory: {
          ok: true,
          usedMb: 100,
          limitMb: 512,
          usedPercent: 19.5,
          limitPercent: 90,
          measure: 'rss',
        },
      },
    });
  });

  it('answers 503 not_live at 90 % of the limit, naming the memory check', async () => {
    const response = await health('1000', { bytes: 950 * MIB, measure: 'thread heap' });
    expect(response.statusCode).toBe(503);
    expect(response.headers['cache-control']).toBe('no-store');
    const body = responseJson<Record<string, unknown>>(response);
    expect(body).toMatchObject({
      status: 'failing',
      checks: { memory: { ok: false, usedPercent: 95, measure: 'thread heap' } },
      error: {
        code: 'not_live',
        message: 'failing: memory',
        details: [
          {
            field: 'checks.memory',
            message: '950 MiB in use is 95 % of the 1000 MiB limit (live below 90 %)',
          },
        ],
      },
    });
  });

  it('answers 503 when the memory limit is unknown', async () => {
    const response = await health(undefined, { bytes: MIB, measure: 'rss' });
    expect(response.statusCode).toBe(503);
    expect(responseJson(response)).toMatchObject({
      checks: {
        memory: {
          ok: false,
          error: 'the memory limit is unknown: AWS_LAMBDA_FUNCTION_MEMORY_SIZE is not set',
        },
      },
    });
  });

  it('answers 405 for another method on a probe path and 404 elsewhere', async () => {
    const route = routePublicRequest(
      healthRoutes({
        memoryLimit: '512',
        memoryInUse: () => ({ bytes: MIB, measure: 'rss' }),
        dynamodb: unused,
        tables: {},
        sqs: unused,
        queues: {},
        loadPolicies: () => {
          throw new Error('unused');
        },
      }),
    );
    expect((await route(httpApiEvent('POST /health'))).statusCode).toBe(405);
    expect((await route(httpApiEvent('GET /v1/agents'))).statusCode).toBe(404);
  });
});
