// The OpenAPI 3.1 document of the HTTP API, built from the route catalog: one operation per route, its
// parameters and body converted from the zod schemas the route validates with (json-schema.ts), its
// answers from the catalog's words, and what every route of its kind shares added here — for an
// authenticated route the API-key requirement, 401, 429, 500 and the rate-limit headers; for a public one
// `security: []`, said outright. Built once, when this module loads: the catalog is static, and a
// malformed entry (a path parameter without a schema, an operationId used twice, a query that is not an
// object) fails the load, so the unit tests catch it rather than a client.
import packageJson from '../../../package.json' with { type: 'json' };
import { inputJsonSchema, type JsonSchema } from './json-schema.ts';
import {
  API_KEY_SCHEME,
  ERROR_REF,
  HEADER_NAMES,
  headerRef,
  openApiComponents,
  rateLimitHeaderRefs,
  responseRef,
} from './openapi-components.ts';
import { ROUTE_CATALOG, ROUTE_TAGS } from './route-catalog.ts';
import type { RequiredRole, RouteDoc, RouteError, RouteErrorStatus } from './route-doc.ts';

export type OpenApiDocument = {
  openapi: '3.1.0';
  info: Record<string, unknown>;
  paths: Record<string, Record<string, OpenApiOperation>>;
  [field: string]: unknown;
};

export type OpenApiOperation = {
  operationId: string;
  summary: string;
  description: string;
  tags: string[];
  security: Record<string, string[]>[];
  parameters?: Record<string, unknown>[];
  requestBody?: Record<string, unknown>;
  responses: Record<string, Record<string, unknown>>;
  'x-required-role'?: RequiredRole;
};

const ROLE_WORDS: Readonly<Record<RequiredRole, string>> = {
  any: 'any API key of the tenant',
  operator: 'an API key with the operator role (or admin, which includes it)',
  admin: 'an API key with the admin role',
  reviewer: 'an API key with the reviewer role',
  'platform-admin': 'an admin key of the `platform` tenant (operations that span every tenant)',
};

const ERROR_STATUS_ORDER: readonly RouteErrorStatus[] = [400, 403, 404, 409, 503];

export function buildOpenApiDocument(catalog: readonly RouteDoc[], version: string): OpenApiDocument {
  const paths: OpenApiDocument['paths'] = {};
  const operationIds = new Set<string>();
  for (const route of catalog) {
    if (operationIds.has(route.operationId))
      throw new Error(`operationId ${route.operationId} is used twice`);
    operationIds.add(route.operationId);
    const methods = paths[route.path] ?? {};
    paths[route.path] = methods;
    const method = route.method.toLowerCase();
    if (methods[method]) throw new Error(`${route.method} ${route.path} is described twice`);
    methods[method] = operation(route);
  }
  const usedTags = new Set(catalog.map((route) => route.tag));
  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'trustgate API',
      version,
      summary: 'Trust-gated multi-agent orchestration on AWS serverless.',
      description:
        'Every request but the probes and this document needs an API key (`Authorization: Bearer ' +
        'tg_<env>_…`) and is scoped to the key’s tenant. Every error answer has one shape, `Error`. ' +
        'Every authenticated request takes a token from its tenant’s bucket; answers carry ' +
        'X-RateLimit-Limit, X-RateLimit-Remaining and X-RateLimit-Reset, and an empty bucket answers 429 ' +
        'with Retry-After. Generated from the zod schemas the routes validate with.',
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    servers: [{ url: '/', description: 'The API’s own origin (the document is served by the API).' }],
    tags: Object.entries(ROUTE_TAGS)
      .filter(([name]) => usedTags.has(name))
      .map(([name, description]) => ({ name, description })),
    paths,
    components: openApiComponents(),
  };
}

function operation(route: RouteDoc): OpenApiOperation {
  const authenticated = route.access.kind === 'key';
  const parameters = [...pathParameters(route), ...queryParameters(route)];
  return {
    operationId: route.operationId,
    summary: route.summary,
    description: `${route.description}\n\n**Access:** ${
      route.access.kind === 'key' ? `${ROLE_WORDS[route.access.role]}.` : 'public: no API key.'
    }`,
    tags: [route.tag],
    security: authenticated ? [{ [API_KEY_SCHEME]: [] }] : [],
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(route.body ? { requestBody: requestBody(route.body) } : {}),
    responses: responses(route, authenticated),
    ...(route.access.kind === 'key' ? { 'x-required-role': route.access.role } : {}),
  };
}

function pathParameters(route: RouteDoc): Record<string, unknown>[] {
  const names = [...route.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => name!);
  const documented = Object.keys(route.pathParameters ?? {});
  if (names.join() !== documented.join()) {
    throw new Error(`${route.method} ${route.path}: path parameters [${documented}] are not [${names}]`);
  }
  return names.map((name) => {
    const { schema, description } = route.pathParameters![name]!;
    return { name, in: 'path', required: true, description, schema: inputJsonSchema(schema) };
  });
}

function queryParameters(route: RouteDoc): Record<string, unknown>[] {
  if (!route.query) return [];
  const schema = inputJsonSchema(route.query);
  const properties = schema.properties as Record<string, JsonSchema> | undefined;
  if (schema.type !== 'object' || !properties) {
    throw new Error(`${route.method} ${route.path}: the query schema is not an object`);
  }
  const required = new Set((schema.required as string[] | undefined) ?? []);
  return Object.entries(properties).map(([name, property]) => ({
    name,
    in: 'query',
    required: required.has(name),
    schema: property,
  }));
}

function requestBody(body: NonNullable<RouteDoc['body']>): Record<string, unknown> {
  const [first, ...others] = body.schemas.map(inputJsonSchema);
  const schema = others.length === 0 ? first : { oneOf: [first, ...others] };
  return {
    description: body.description,
    required: body.required,
    content: { 'application/json': { schema } },
  };
}

function responses(route: RouteDoc, authenticated: boolean): OpenApiOperation['responses'] {
  const limitHeaders = authenticated ? rateLimitHeaderRefs() : {};
  const { success } = route;
  const answers: OpenApiOperation['responses'] = {
    [success.status]: {
      description: success.description,
      ...headersObject({ ...limitHeaders, ...(success.headers ?? {}) }),
      ...(success.schema
        ? { content: { [success.mediaType ?? 'application/json']: { schema: success.schema } } }
        : {}),
    },
  };
  for (const status of ERROR_STATUS_ORDER) {
    const error = route.errors[status];
    if (error === undefined) continue;
    const retryAfter =
      status === 503 && route.retryAfterOn503
        ? { [HEADER_NAMES.retryAfter]: headerRef(HEADER_NAMES.retryAfter) }
        : {};
    answers[status] = errorResponse(error, { ...limitHeaders, ...retryAfter });
  }
  if (authenticated) {
    answers[401] = responseRef('Unauthorized');
    answers[429] = responseRef('TooManyRequests');
  }
  answers[500] = responseRef('InternalError');
  // Integer-like keys: an object lists them in ascending order, whatever the order they were set in.
  return answers;
}

function errorResponse(error: RouteError, headers: Record<string, unknown>): Record<string, unknown> {
  const { description, schema } =
    typeof error === 'string' ? { description: error, schema: ERROR_REF as JsonSchema } : error;
  return { description, ...headersObject(headers), content: { 'application/json': { schema } } };
}

function headersObject(headers: Record<string, unknown>): { headers?: Record<string, unknown> } {
  return Object.keys(headers).length > 0 ? { headers } : {};
}

/** The document of this deployment's API, built once. */
export const OPENAPI_DOCUMENT: OpenApiDocument = buildOpenApiDocument(ROUTE_CATALOG, packageJson.version);

/** The document as it is served. */
export const OPENAPI_JSON: string = JSON.stringify(OPENAPI_DOCUMENT);
