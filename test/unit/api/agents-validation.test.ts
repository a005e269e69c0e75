// Every malformed request to the agent routes is a 4xx whose JSON error names the field; none reaches
// DynamoDB (offline-handler.ts makes that a 500 if it did).
import { beforeAll, describe, expect, it } from 'vitest';
import { agentRegistration } from '../../support/agent-registrations.ts';
import { responseError, testCaller } from '../../support/http-api-event.ts';
import { type OfflineCall, offlineHandler } from './offline-handler.ts';

let call: OfflineCall;

beforeAll(async () => {
  call = await offlineHandler(() => import('../../../functions/api/agents.handler.ts'));
});

const valid = agentRegistration({ agentId: 'research-1' });
const validManifest = valid.manifest as Record<string, unknown>;

async function expectRegistrationError(body: unknown, status: number, code: string, fields: string[]) {
  const response = await call('POST /v1/agents', { body });
  expect(response.statusCode).toBe(status);
  expect(response.headers['content-type']).toBe('application/json');
  const error = responseError(response);
  expect(error.code).toBe(code);
  expect(error.details.map((detail) => detail.field)).toEqual(fields);
}

describe('POST /v1/agents input', () => {
  it('answers a missing body with 400 missing_body', async () => {
    await expectRegistrationError(undefined, 400, 'missing_body', ['body']);
  });

  it('answers malformed JSON with 400 invalid_json', async () => {
    await expectRegistrationError('{"manifest": ', 400, 'invalid_json', ['body']);
  });

  it('answers a body that is not an object by naming the body and the missing manifest', async () => {
    await expectRegistrationError([], 400, 'validation_failed', ['body', 'manifest']);
  });

  it('names wrong types, wherever they are nested', async () => {
    await expectRegistrationError(
      {
        ...valid,
        costPerCall: 'cheap',
        manifest: { ...validManifest, identity: { agentId: 42, name: 'x', role: 'research' } },
      },
      400,
      'validation_failed',
      ['costPerCall', 'manifest.identity.agentId'],
    );
  });

  it('refuses a negative cost per call', async () => {
    await expectRegistrationError({ ...valid, costPerCall: -0.01 }, 400, 'validation_failed', [
      'costPerCall',
    ]);
  });

  it('refuses an action outside the vocabulary in the manifest', async () => {
    const manifest = {
      ...validManifest,
      capabilities: [{ name: 'launch_rockets', level: 'read', scopes: [] }],
    };
    await expectRegistrationError({ ...valid, manifest }, 400, 'validation_failed', [
      'manifest.capabilities.0.name',
    ]);
  });

  it('refuses unknown identity and context levels and unknown fields', async () => {
    await expectRegistrationError(
      {
        ...valid,
        identity: { verificationLevel: 'notarised', certificate: 'registered' },
        context: { environment: 'moon' },
        colour: 'blue',
      },
      400,
      'validation_failed',
      ['identity.verificationLevel', 'context.environment', 'colour'],
    );
  });

  it('refuses an initial score from a caller who is not an admin with 403 admin_required', async () => {
    const response = await call('POST /v1/agents', {
      body: { ...valid, initialScore: 900 },
      caller: testCaller('default', ['operator']),
    });
    expect(response.statusCode).toBe(403);
    expect(responseError(response)).toMatchObject({
      code: 'admin_required',
      details: [{ field: 'initialScore' }],
    });
  });

  it('refuses an initial score outside 0…1000 even from an admin', async () => {
    const response = await call('POST /v1/agents', {
      body: { ...valid, initialScore: 1001 },
      caller: testCaller('default', ['admin']),
    });
    expect(response.statusCode).toBe(400);
    expect(responseError(response).details.map((detail) => detail.field)).toEqual(['initialScore']);
  });

  it('refuses an OpenAI provider that would send one of the function’s own secrets as its API key', async () => {
    const provider = {
      kind: 'openai',
      baseUrl: 'https://models.example.com/v1',
      model: 'gpt',
      apiKeyEnv: 'AWS_SECRET_ACCESS_KEY',
    };
    await expectRegistrationError({ ...valid, provider }, 400, 'validation_failed', ['provider.apiKeyEnv']);
  });

  it('refuses an unknown provider kind', async () => {
    await expectRegistrationError(
      { ...valid, provider: { kind: 'carrier-pigeon' } },
      400,
      'validation_failed',
      ['provider.kind'],
    );
  });

  it('refuses a caller without the operator role with 403 naming it, before reading the body', async () => {
    const response = await call('POST /v1/agents', {
      body: '{',
      caller: testCaller('default', ['reviewer'], 1),
    });
    expect(response.statusCode).toBe(403);
    expect(responseError(response)).toMatchObject({
      code: 'forbidden',
      message: 'registering an agent needs the operator role',
      details: [{ field: 'headers.authorization' }],
    });
  });

  it('answers 401 for a request the authorizer marked unauthenticated, whatever headers it carries', async () => {
    const response = await call('POST /v1/agents', {
      body: valid,
      caller: null,
      unauthenticated: 'unknown_key',
      headers: { 'x-trustgate-tenant': 'acme', 'x-trustgate-role': 'admin' },
    });
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer realm="trustgate"');
    expect(responseError(response)).toMatchObject({
      code: 'unknown_key',
      details: [{ field: 'headers.authorization' }],
    });
  });
});

describe('GET /v1/agents and /v1/agents/{id} input', () => {
  it('names a malformed agent id in the path', async () => {
    const response = await call('GET /v1/agents/{id}', { pathParameters: { id: '../etc' } });
    expect(response.statusCode).toBe(400);
    expect(responseError(response).details.map((detail) => detail.field)).toEqual(['pathParameters.id']);
  });

  it('names a limit outside 1…100', async () => {
    for (const limit of ['0', '101', 'ten']) {
      const response = await call('GET /v1/agents', { queryStringParameters: { limit } });
      expect(response.statusCode).toBe(400);
      expect(responseError(response).details.map((detail) => detail.field)).toEqual([
        'queryStringParameters.limit',
      ]);
    }
  });

  it('names a nextToken the API did not issue', async () => {
    const response = await call('GET /v1/agents', { queryStringParameters: { nextToken: 'not-a-token' } });
    expect(response.statusCode).toBe(400);
    expect(responseError(response).details.map((detail) => detail.field)).toEqual([
      'queryStringParameters.nextToken',
    ]);
  });
});

describe('routes the agents function does not serve', () => {
  it('answers another method on a served path with 405', async () => {
    const response = await call('DELETE /v1/agents/{id}', { pathParameters: { id: 'research-1' } });
    expect(response.statusCode).toBe(405);
    expect(responseError(response).code).toBe('method_not_allowed');
  });

  it('answers an unknown path with 404', async () => {
    const response = await call('GET /v1/agents/{id}/history', { pathParameters: { id: 'research-1' } });
    expect(response.statusCode).toBe(404);
    expect(responseError(response).code).toBe('route_not_found');
  });
});
