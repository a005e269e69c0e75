// The one error shape of the API (http/api-error.ts, json-response.ts), as a zod schema so the document
// shows it converted like every other schema, and so test/unit/openapi checks the router's real error
// answers against it:
//   { "error": { "code", "message", "details": [{ "field", "message" }] } }
// `field` is a dotted path into the request (`manifest.identity.agentId`, `pathParameters.id`,
// `queryStringParameters.limit`, `headers.authorization`), `body` for the body as a whole.
import { z } from 'zod';

export const ErrorSchema = z
  .object({
    error: z.strictObject({
      code: z
        .string()
        .meta({ description: 'Stable, machine-readable: `validation_failed`, `agent_not_found`, …' }),
      message: z.string().meta({ description: 'For a person; may change between versions.' }),
      details: z
        .array(
          z.strictObject({
            field: z.string().meta({ description: 'Dotted path of the field at fault.' }),
            message: z.string(),
          }),
        )
        .meta({ description: 'The fields at fault, one entry each; empty when no field is.' }),
    }),
  })
  .meta({ description: 'Every error answer of the API, whatever its status.' });
