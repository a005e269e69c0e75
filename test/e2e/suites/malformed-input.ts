// Every route answers a client's mistake with a 400 and a JSON error naming the field at fault
// (docs/backend.md, "Errors"): bodies that are not JSON, required fields missing, fields of the wrong type,
// and path or query parameters that cannot name anything.
import { describe, expect, it } from 'vitest';
import { DEMO_FLEET, demoAgentRegistration } from '../../../scripts/demo-fleet.ts';
import type { E2eTarget } from '../support/e2e-target.ts';
import { call } from '../support/http.ts';

interface MalformedCase {
  route: string;
  problem: string;
  method: 'GET' | 'POST';
  path: string;
  /** Sent as is, not JSON-encoded. */
  rawBody?: string;
  body?: unknown;
  code: string;
  field: string;
}

const validRegistration = demoAgentRegistration({ ...DEMO_FLEET[0]!, agentId: 'never-registered' });
const { costPerCall: _omitted, ...registrationWithoutCost } = validRegistration;
const validIntent = { agentId: 'research-agent', action: 'search_web', resource: { id: 'web', type: 'web' } };
const { action: _noAction, ...intentWithoutAction } = validIntent;

const CASES: MalformedCase[] = [
  {
    route: 'POST /v1/agents',
    problem: 'a body that is not JSON',
    method: 'POST',
    path: '/v1/agents',
    rawBody: '{"manifest": ',
    code: 'invalid_json',
    field: 'body',
  },
  {
    route: 'POST /v1/agents',
    problem: 'a required field missing',
    method: 'POST',
    path: '/v1/agents',
    body: registrationWithoutCost,
    code: 'validation_failed',
    field: 'costPerCall',
  },
  {
    route: 'POST /v1/agents',
    problem: 'a field of the wrong type',
    method: 'POST',
    path: '/v1/agents',
    body: { ...validRegistration, costPerCall: 'cheap' },
    code: 'validation_failed',
    field: 'costPerCall',
  },
  {
    route: 'POST /v1/agents',
    problem: 'a manifest field of the wrong type',
    method: 'POST',
    path: '/v1/agents',
    body: {
      ...validRegistration,
      manifest: { ...(validRegistration.manifest as object), capabilities: 'all' },
    },
    code: 'validation_failed',
    field: 'manifest.capabilities',
  },
  {
    route: 'POST /v1/workflows',
    problem: 'a body that is not JSON',
    method: 'POST',
    path: '/v1/workflows',
    rawBody: '{"template": "report", "input": {',
    code: 'invalid_json',
    field: 'body',
  },
  {
    route: 'POST /v1/workflows',
    problem: 'a required field missing',
    method: 'POST',
    path: '/v1/workflows',
    body: { template: 'report' },
    code: 'validation_failed',
    field: 'input',
  },
  {
    route: 'POST /v1/workflows',
    problem: 'a field of the wrong type',
    method: 'POST',
    path: '/v1/workflows',
    body: { template: 'report', input: { task: 42 } },
    code: 'validation_failed',
    field: 'input.task',
  },
  {
    route: 'POST /v1/workflows',
    problem: 'a step field of the wrong type',
    method: 'POST',
    path: '/v1/workflows',
    body: {
      type: 'sequential',
      input: { task: 'Write report on AI trends' },
      steps: [{ name: 'research', agentId: 'research-agent', requiredTier: 3, intent: 'search_web' }],
    },
    code: 'validation_failed',
    field: 'steps.0.requiredTier',
  },
  {
    route: 'POST /v1/intents',
    problem: 'a body that is not JSON',
    method: 'POST',
    path: '/v1/intents',
    rawBody: '{"agentId": "research-agent",',
    code: 'invalid_json',
    field: 'body',
  },
  {
    route: 'POST /v1/intents',
    problem: 'a required field missing',
    method: 'POST',
    path: '/v1/intents',
    body: intentWithoutAction,
    code: 'validation_failed',
    field: 'action',
  },
  {
    route: 'POST /v1/intents',
    problem: 'a field of the wrong type',
    method: 'POST',
    path: '/v1/intents',
    body: { ...validIntent, resource: 'web' },
    code: 'validation_failed',
    field: 'resource',
  },
  {
    route: 'GET /v1/agents',
    problem: 'a query parameter of the wrong type',
    method: 'GET',
    path: '/v1/agents?limit=many',
    code: 'validation_failed',
    field: 'queryStringParameters.limit',
  },
  {
    route: 'GET /v1/agents/{id}',
    problem: 'an id no agent can have',
    method: 'GET',
    path: '/v1/agents/%24not%20an%20id',
    code: 'validation_failed',
    field: 'pathParameters.id',
  },
  {
    route: 'GET /v1/agents/{id}/intents/verify',
    problem: 'an id no agent can have',
    method: 'GET',
    path: '/v1/agents/%24not%20an%20id/intents/verify',
    code: 'validation_failed',
    field: 'pathParameters.id',
  },
  {
    route: 'GET /v1/workflows/{id}',
    problem: 'an id no workflow can have',
    method: 'GET',
    path: '/v1/workflows/%24not%20an%20id',
    code: 'validation_failed',
    field: 'pathParameters.id',
  },
  {
    route: 'GET /v1/proofs/{hash}',
    problem: 'a malformed proof hash',
    method: 'GET',
    path: '/v1/proofs/not-a-hash',
    code: 'validation_failed',
    field: 'pathParameters.hash',
  },
];

interface ErrorAnswer {
  error: { code: string; message: string; details: { field: string; message: string }[] };
}

export function malformedInputSuite(target: E2eTarget): void {
  describe('malformed input', () => {
    it.each(CASES.map((testCase) => [testCase.route, testCase.problem, testCase.field, testCase] as const))(
      '%s with %s answers 400 naming %s',
      async (_route, _problem, _field, testCase) => {
        const answer = await call(testCase.method, `${target.apiUrl}${testCase.path}`, {
          ...(testCase.rawBody === undefined ? {} : { rawBody: testCase.rawBody }),
          ...(testCase.body === undefined ? {} : { body: testCase.body }),
          // An admin key of tenant `default`: every route may be called, so only the input is wrong.
          headers: target.defaultHeaders,
        });
        expect(answer.status).toBe(400);
        expect(answer.contentType).toContain('application/json');
        const { error } = answer.body as ErrorAnswer;
        expect(error.code).toBe(testCase.code);
        expect(error.message).not.toBe('');
        expect(error.details.map((detail) => detail.field)).toContain(testCase.field);
      },
    );
  });
}
