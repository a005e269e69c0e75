// One route of the HTTP API as the OpenAPI document describes it: an entry of the route catalog
// (route-catalog.ts). The inputs are the zod schemas the route itself validates with, so the document says
// what the route checks; everything the schemas cannot say (who may call, what each error means) is said
// here in words, next to the route's key. The document builder (openapi-document.ts) adds what every route
// of its kind shares: 401, 429 and 500, the rate-limit headers, the security requirement.
import type { z } from 'zod';
import type { JsonSchema } from './json-schema.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** The least a key must be to call the route (request-caller.ts `requireRole`, `requirePlatformAdmin`). */
export type RequiredRole = 'any' | 'operator' | 'admin' | 'reviewer' | 'platform-admin';

/** No key (the probes and this document, `routePublicRequest`), or an API key with at least `role`. */
export type RouteAccess = { kind: 'public' } | { kind: 'key'; role: RequiredRole };

/** The error statuses a route gives of its own; 401, 429 and 500 come with every authenticated route. */
export type RouteErrorStatus = 400 | 403 | 404 | 409 | 503;

/** What an error status means on this route (the codes it carries), and its body when not the `Error`. */
export type RouteError = string | { description: string; schema: JsonSchema };

export interface RouteDoc {
  method: HttpMethod;
  /** As the stack declares the route: `/v1/agents/{id}`. */
  path: string;
  operationId: string;
  summary: string;
  description: string;
  tag: string;
  access: RouteAccess;
  /** One per `{name}` of the path, with the schema the route validates it with (`pathParameter`). */
  pathParameters?: Readonly<Record<string, { schema: z.ZodType; description: string }>>;
  /** The route's query schema (`queryParameters`): an object, each property one query parameter. */
  query?: z.ZodType;
  /** The body: several schemas are alternatives (oneOf); `required: false` when no body is a request too. */
  body?: { schemas: readonly [z.ZodType, ...z.ZodType[]]; required: boolean; description: string };
  success: {
    status: 200 | 201 | 202 | 204;
    description: string;
    /** The body's schema; absent for a 204. */
    schema?: JsonSchema;
    /** `application/json` unless said. */
    mediaType?: string;
    /** Headers of the answer besides the rate-limit ones. */
    headers?: Readonly<Record<string, { description: string; schema: JsonSchema }>>;
  };
  errors: Readonly<Partial<Record<RouteErrorStatus, RouteError>>>;
  /** Whether the route's 503 carries Retry-After (always or when the cause may pass). */
  retryAfterOn503?: boolean;
}
