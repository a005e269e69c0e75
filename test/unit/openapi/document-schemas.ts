// Reading the generated OpenAPI document in tests: an operation by its route key, a `$ref` resolved
// against the document, and a JSON Schema of it compiled with Ajv (draft 2020-12, the document's dialect)
// so a test can ask what the document would accept. Ajv is in node_modules as a dependency of the
// linters and emulators the repository already uses, not one of its own.
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import type { OpenApiDocument, OpenApiOperation } from '../../../functions/app/openapi/openapi-document.ts';

/** `METHOD path` of every operation of the document. */
export function documentedRouteKeys(document: OpenApiDocument): string[] {
  return Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
  );
}

export function operationOf(document: OpenApiDocument, routeKey: string): OpenApiOperation {
  const [method, path] = routeKey.split(' ') as [string, string];
  const operation = document.paths[path]?.[method.toLowerCase()];
  if (!operation) throw new Error(`the document has no ${routeKey}`);
  return operation;
}

/** `value` with every `{ $ref: '#/…' }` in it replaced by what it points to in `document`. */
export function resolved(document: unknown, value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => resolved(document, item));
  if (typeof value !== 'object' || value === null) return value;
  const { $ref, ...rest } = value as { $ref?: unknown };
  if (typeof $ref === 'string') {
    const target = $ref
      .slice(2)
      .split('/')
      .map((segment) => segment.replaceAll('~1', '/').replaceAll('~0', '~'))
      .reduce<unknown>((node, segment) => (node as Record<string, unknown> | undefined)?.[segment], document);
    if (target === undefined) throw new Error(`${$ref} points nowhere`);
    return resolved(document, { ...(target as object), ...rest });
  }
  return Object.fromEntries(Object.entries(rest).map(([key, member]) => [key, resolved(document, member)]));
}

const ajv = new Ajv2020({ allErrors: true, strict: true, validateFormats: false });

/** A validator of `schema` (its `$ref`s into the document resolved). */
export function validatorOf(document: OpenApiDocument, schema: unknown): ValidateFunction {
  return ajv.compile(resolved(document, schema) as object);
}

/** The JSON body schema of the operation's request. */
export function requestBodySchema(document: OpenApiDocument, routeKey: string): unknown {
  const body = operationOf(document, routeKey).requestBody as
    | { content: { 'application/json': { schema: unknown } } }
    | undefined;
  if (!body) throw new Error(`${routeKey} takes no body`);
  return body.content['application/json'].schema;
}

/** The JSON schema of one answer of the operation. */
export function responseSchema(document: OpenApiDocument, routeKey: string, status: number): unknown {
  const response = resolved(document, operationOf(document, routeKey).responses[status]) as
    | { content?: { 'application/json'?: { schema: unknown } } }
    | undefined;
  const schema = response?.content?.['application/json']?.schema;
  if (schema === undefined) throw new Error(`${routeKey} has no JSON ${status} answer`);
  return schema;
}
