// The query string validated like a body: a bad parameter is a 400 naming `queryStringParameters.<name>`.
// Unknown parameters are refused too, as unknown body fields are: a misspelt one (`limt=5`, `statuss=…`)
// is named instead of being silently ignored and answered with a default page.
import { z } from 'zod';
import type { HttpApiEvent } from './http-api-event.ts';
import { validateInput } from './validate-input.ts';

// The fuzz suite (test/integration/fuzz) found every list route but the audit's answering 200 to unknown
// parameters: their schemas were plain z.object()s, which strip what they do not know. Strictness is
// applied here, once, so that no route's query schema can forget it; each strict copy is made once.
const strictSchemas = new WeakMap<z.ZodType, z.ZodType>();

function strict(schema: z.ZodType): z.ZodType {
  if (!(schema instanceof z.ZodObject)) return schema;
  let strictSchema = strictSchemas.get(schema);
  if (strictSchema === undefined) {
    strictSchema = schema.strict();
    strictSchemas.set(schema, strictSchema);
  }
  return strictSchema;
}

export function queryParameters<Schema extends z.ZodType>(
  event: HttpApiEvent,
  schema: Schema,
): z.output<Schema> {
  return validateInput(
    strict(schema),
    event.queryStringParameters ?? {},
    'queryStringParameters',
  ) as z.output<Schema>;
}
