// A zod schema as the JSON Schema (draft 2020-12, the dialect of OpenAPI 3.1) of what a client sends:
// zod's own converter with `io: 'input'`, so defaults make a field optional, a transform or coercion
// documents what it accepts rather than what it turns it into (`limit` is an integer in the query, not the
// number it becomes), and a refinement the dialect cannot express (`text` must not be blank, `steps` names
// must be distinct) is left to the route's own 400 instead of failing the conversion (`unrepresentable:
// 'any'`): the document never refuses a request the route accepts, it may accept one the route refuses.
//
// The `$schema` keyword is dropped (OpenAPI 3.1 declares the dialect once, `jsonSchemaDialect`), and a
// schema that needs definitions of its own (`$defs`, `$ref`) is refused loudly: a `$ref` inside an OpenAPI
// document resolves against the document, not the schema, so it would point nowhere.
import { z } from 'zod';

export type JsonSchema = { [keyword: string]: unknown };

export function inputJsonSchema(schema: z.ZodType): JsonSchema {
  const { $schema: _dialect, ...converted } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io: 'input',
    unrepresentable: 'any',
  }) as JsonSchema;
  const serialized = JSON.stringify(converted);
  if ('$defs' in converted || serialized.includes('"$ref"')) {
    throw new Error(`a schema with definitions of its own cannot be inlined in the document: ${serialized}`);
  }
  return converted;
}
