// The routes that answer without a key: the probes (docs/backend.md "Health probes", health-routes.ts)
// and this document (openapi-route.ts), all served by the health function. Their answers carry no
// rate-limit headers: no tenant is known to take a token from.
import type { JsonSchema } from '../json-schema.ts';
import { objectOf } from '../response-shapes.ts';
import type { RouteDoc } from '../route-doc.ts';

const NO_STORE = { description: '`no-store`: every probe is a fresh look.', schema: { type: 'string' } };

const CHECKS: JsonSchema = {
  type: 'object',
  description:
    'Every check by name, each `{ ok, …its figures, error? }`; `error` is one line for the operator.',
  additionalProperties: {
    type: 'object',
    properties: { ok: { type: 'boolean' }, error: { type: 'string' } },
    required: ['ok'],
  },
};

function probeReport(status: 'ok' | 'failing'): JsonSchema {
  return objectOf(status === 'ok' ? 'Every check passed.' : 'At least one check failed.', {
    status: { type: 'string', const: status },
    checks: CHECKS,
  });
}

function failingProbe(code: 'not_live' | 'not_ready'): JsonSchema {
  return {
    allOf: [probeReport('failing'), { $ref: '#/components/schemas/Error' }],
    description: `The checks, and the API's error shape (\`${code}\`) naming each failing check as \`checks.<name>\`.`,
  };
}

export const PROBE_ROUTES: readonly RouteDoc[] = [
  {
    method: 'GET',
    path: '/health',
    operationId: 'getHealth',
    summary: 'Liveness probe',
    description: 'Whether the function is alive: its memory in use below 90 % of its limit.',
    tag: 'Operations',
    access: { kind: 'public' },
    success: {
      status: 200,
      description: 'Alive.',
      schema: probeReport('ok'),
      headers: { 'Cache-Control': NO_STORE },
    },
    errors: {
      503: { description: '`not_live`: the memory check failed.', schema: failingProbe('not_live') },
    },
  },
  {
    method: 'GET',
    path: '/ready',
    operationId: 'getReadiness',
    summary: 'Readiness probe',
    description:
      'Whether the platform can serve: DynamoDB answers for every table, SQS for every queue, the ' +
      'queues’ backlog is below 1 000 messages and the Cedar policies load.',
    tag: 'Operations',
    access: { kind: 'public' },
    success: {
      status: 200,
      description: 'Ready.',
      schema: probeReport('ok'),
      headers: { 'Cache-Control': NO_STORE },
    },
    errors: {
      503: { description: '`not_ready`: at least one check failed.', schema: failingProbe('not_ready') },
    },
  },
  {
    method: 'GET',
    path: '/openapi.json',
    operationId: 'getOpenApiDocument',
    summary: 'This OpenAPI document',
    description:
      'The OpenAPI 3.1 description of every route of the API, generated from the schemas the routes ' +
      'validate their input with.',
    tag: 'Operations',
    access: { kind: 'public' },
    success: {
      status: 200,
      description: 'The document.',
      schema: { type: 'object', description: 'An OpenAPI 3.1 document.' },
      headers: {
        'Cache-Control': {
          description: 'Cacheable for a few minutes: the document changes only with a deployment.',
          schema: { type: 'string' },
        },
      },
    },
    errors: {},
  },
];
