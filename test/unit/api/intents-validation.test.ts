// Every malformed request to the intent routes is a 400 whose JSON error names the field; none reaches
// DynamoDB (offline-handler.ts makes that a 500 if it did).
import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_CONTEXT_BYTES } from '../../../functions/app/intents/intent-declaration.ts';
import { responseError } from '../../support/http-api-event.ts';
import { type OfflineCall, offlineHandler } from './offline-handler.ts';

let call: OfflineCall;

beforeAll(async () => {
  call = await offlineHandler(() => import('../../../functions/api/intents.handler.ts'));
});

const valid = { agentId: 'research-1', action: 'search_web', resource: { id: 'ai-trends', type: 'topic' } };

async function expectDeclarationError(body: unknown, code: string, fields: string[]) {
  const response = await call('POST /v1/intents', { body });
  expect(response.statusCode).toBe(400);
  expect(response.headers['content-type']).toBe('application/json');
  const error = responseError(response);
  expect(error.code).toBe(code);
  expect(error.details.map((detail) => detail.field)).toEqual(fields);
}

describe('POST /v1/intents input', () => {
  it('answers a missing body with 400 missing_body', async () => {
    await expectDeclarationError(undefined, 'missing_body', ['body']);
  });

  it('answers malformed JSON with 400 invalid_json', async () => {
    await expectDeclarationError('{agentId: research-1}', 'invalid_json', ['body']);
  });

  it('names every missing required field', async () => {
    await expectDeclarationError({}, 'validation_failed', ['agentId', 'action', 'resource']);
  });

  it('names an action outside the vocabulary', async () => {
    await expectDeclarationError({ ...valid, action: 'launch_rockets' }, 'validation_failed', ['action']);
  });

  it('names a tier code that is not T0…T5', async () => {
    for (const requiredTier of ['T6', 't3', '3', 3]) {
      await expectDeclarationError({ ...valid, requiredTier }, 'validation_failed', ['requiredTier']);
    }
  });

  it('names wrong types inside the resource', async () => {
    await expectDeclarationError({ ...valid, resource: { id: 7 } }, 'validation_failed', [
      'resource.id',
      'resource.type',
    ]);
  });

  it('names a context that is not a JSON object or too large', async () => {
    await expectDeclarationError({ ...valid, context: ['a'] }, 'validation_failed', ['context']);
    await expectDeclarationError(
      { ...valid, context: { notes: 'x'.repeat(MAX_CONTEXT_BYTES) } },
      'validation_failed',
      ['context'],
    );
  });

  it('names a context number DynamoDB could not return exactly', async () => {
    await expectDeclarationError({ ...valid, context: { count: 2 ** 60 } }, 'validation_failed', ['context']);
  });

  it('names unknown fields', async () => {
    await expectDeclarationError({ ...valid, priority: 'high' }, 'validation_failed', ['priority']);
  });
});

describe('GET /v1/agents/{id}/intents/verify input', () => {
  it('names a malformed agent id in the path', async () => {
    const response = await call('GET /v1/agents/{id}/intents/verify', { pathParameters: { id: 'a b' } });
    expect(response.statusCode).toBe(400);
    expect(responseError(response).details.map((detail) => detail.field)).toEqual(['pathParameters.id']);
  });
});
