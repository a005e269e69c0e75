// Path parameters validated like bodies: a bad one is a 400 naming `pathParameters.<name>`.
import type { z } from 'zod';
import type { HttpApiEvent } from './http-api-event.ts';
import { validateInput } from './validate-input.ts';

export function pathParameter<Schema extends z.ZodType>(
  event: HttpApiEvent,
  name: string,
  schema: Schema,
): z.output<Schema> {
  return validateInput(schema, event.pathParameters?.[name], `pathParameters.${name}`);
}
