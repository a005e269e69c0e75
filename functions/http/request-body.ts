// Request bodies: decoded (API Gateway base64-encodes bodies it does not consider text), parsed as JSON
// and validated with a zod schema. Every failure is a 400 naming the field:
//   no body            400 missing_body       details [{ field: 'body' }]
//   not JSON           400 invalid_json       details [{ field: 'body', message: the parser's message }]
//   schema violations  400 validation_failed  details [{ field: 'manifest.identity.agentId', … }, …]
import type { z } from 'zod';
import { ApiError } from './api-error.ts';
import type { HttpApiEvent } from './http-api-event.ts';
import { validateInput } from './validate-input.ts';

export function parseJsonBody(event: HttpApiEvent): unknown {
  if (event.body === undefined || event.body === '') {
    throw new ApiError(400, 'missing_body', 'a JSON request body is required', [
      { field: 'body', message: 'required' },
    ]);
  }
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  try {
    return JSON.parse(text);
  } catch (error) {
    const reason = error instanceof SyntaxError ? error.message : 'not valid JSON';
    throw new ApiError(400, 'invalid_json', 'the request body is not valid JSON', [
      { field: 'body', message: reason },
    ]);
  }
}

/** The body parsed and validated against `schema`; its output type (defaults applied). */
export function parseBody<Schema extends z.ZodType>(event: HttpApiEvent, schema: Schema): z.output<Schema> {
  return validateInput(schema, parseJsonBody(event));
}
