// The query string validated like a body: a bad parameter is a 400 naming `queryStringParameters.<name>`.
import type { z } from 'zod';
import type { HttpApiEvent } from './http-api-event.ts';
import { validateInput } from './validate-input.ts';

export function queryParameters<Schema extends z.ZodType>(
  event: HttpApiEvent,
  schema: Schema,
): z.output<Schema> {
  return validateInput(schema, event.queryStringParameters ?? {}, 'queryStringParameters');
}
