// The routes of the webhooks API (docs/backend.md "Webhooks"):
//   POST   /v1/webhooks          admin: subscribe: 201 with the view and the signing secret (the only time it is shown)
//   GET    /v1/webhooks          the tenant's webhooks, paged (limit 1…100, nextToken)
//   GET    /v1/webhooks/{id}     one of the tenant's webhooks, 404 for any other
//   DELETE /v1/webhooks/{id}     admin: 204; 404 for an id the tenant does not have
//   POST   /v1/webhooks/redrive  platform admin only (the queue holds every tenant's): replays the deliveries of the dead-letter queue → { moved };
//                                no body, or `{}`
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Caller } from '../../core/auth/caller.ts';
import { ApiError, notFound } from '../../http/api-error.ts';
import type { HttpApiEvent, HttpApiResponse } from '../../http/http-api-event.ts';
import type { RouteHandler } from '../../http/http-router.ts';
import { jsonResponse } from '../../http/json-response.ts';
import { pathParameter } from '../../http/path-parameters.ts';
import { queryParameters } from '../../http/query-parameters.ts';
import { parseBody } from '../../http/request-body.ts';
import { requirePlatformAdmin, requireRole } from '../../http/request-caller.ts';
import { type RedriveDependencies, redriveDeliveries } from './redrive-deliveries.ts';
import { WebhookIdSchema } from './webhook-item.ts';
import { WebhookRegistrationSchema, webhookItemFor } from './webhook-registration.ts';
import { MAX_WEBHOOKS_PER_TENANT, type WebhookSettings } from './webhook-settings.ts';
import type { ResolveAll } from './webhook-url-guard.ts';
import { webhookView } from './webhook-view.ts';
import {
  createWebhook,
  deleteWebhook,
  getWebhook,
  listWebhooks,
  WebhookLimitError,
  type WebhooksTable,
} from './webhooks-repository.ts';

export interface WebhookRoutesDependencies {
  webhooks: WebhooksTable;
  settings: Pick<WebhookSettings, 'urlPolicy'>;
  redrive: RedriveDependencies;
  clock: () => number;
  randomBytes?: (size: number) => Uint8Array;
  resolve?: ResolveAll;
  maxPerTenant?: number;
}

export const ListWebhooksQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  nextToken: z.string().min(1).max(2048).optional(),
});

function webhookNotFound(webhookId: string): ApiError {
  return notFound('webhook_not_found', `no webhook ${webhookId}`, 'pathParameters.id');
}

function createWebhookRoute(deps: WebhookRoutesDependencies): RouteHandler {
  const maxPerTenant = deps.maxPerTenant ?? MAX_WEBHOOKS_PER_TENANT;
  return async (event: HttpApiEvent, caller: Caller): Promise<HttpApiResponse> => {
    requireRole(caller, 'admin', 'subscribing a webhook');
    const { tenantId } = caller;
    const registration = parseBody(event, WebhookRegistrationSchema);
    const item = await webhookItemFor(registration, {
      tenantId,
      nowMs: deps.clock(),
      urlPolicy: deps.settings.urlPolicy,
      randomBytes: deps.randomBytes ?? randomBytes,
      ...(deps.resolve ? { resolve: deps.resolve } : {}),
    });
    try {
      await createWebhook(deps.webhooks, item, maxPerTenant);
    } catch (error) {
      if (error instanceof WebhookLimitError) {
        throw new ApiError(409, 'webhook_limit_reached', error.message, [
          { field: 'body', message: `delete a webhook first; at most ${maxPerTenant} per tenant` },
        ]);
      }
      throw error;
    }
    return jsonResponse(201, { ...webhookView(item), secret: item.secret });
  };
}

function listWebhooksRoute(deps: WebhookRoutesDependencies): RouteHandler {
  return async (event, { tenantId }) => {
    const query = queryParameters(event, ListWebhooksQuerySchema);
    const page = await listWebhooks(deps.webhooks, tenantId, query);
    return jsonResponse(200, { items: page.items.map(webhookView), nextToken: page.nextToken ?? null });
  };
}

function getWebhookRoute(deps: WebhookRoutesDependencies): RouteHandler {
  return async (event, { tenantId }) => {
    const webhookId = pathParameter(event, 'id', WebhookIdSchema);
    const item = await getWebhook(deps.webhooks, tenantId, webhookId);
    if (!item) throw webhookNotFound(webhookId);
    return jsonResponse(200, webhookView(item));
  };
}

function deleteWebhookRoute(deps: WebhookRoutesDependencies): RouteHandler {
  return async (event, caller) => {
    requireRole(caller, 'admin', 'deleting a webhook');
    const { tenantId } = caller;
    const webhookId = pathParameter(event, 'id', WebhookIdSchema);
    if (!(await deleteWebhook(deps.webhooks, tenantId, webhookId))) throw webhookNotFound(webhookId);
    return { statusCode: 204, headers: {}, body: '' };
  };
}

// The replay takes no input. A body is refused unless it is empty or `{}`, rather than ignored: any body,
// even one that was not JSON, used to be answered 200 (found by the fuzz suite, test/integration/fuzz).
export const RedriveBodySchema = z.strictObject({});

function redriveRoute(deps: WebhookRoutesDependencies): RouteHandler {
  return async (event, caller) => {
    requirePlatformAdmin(caller, 'redriving webhook deliveries');
    if (event.body !== undefined && event.body !== '') parseBody(event, RedriveBodySchema);
    return jsonResponse(200, await redriveDeliveries(deps.redrive));
  };
}

/** Every route of the API, keyed as routeRequest dispatches: the handler's wiring, and the tests'. */
export function webhooksRoutes(deps: WebhookRoutesDependencies): Record<string, RouteHandler> {
  return {
    'POST /v1/webhooks': createWebhookRoute(deps),
    'GET /v1/webhooks': listWebhooksRoute(deps),
    'GET /v1/webhooks/{id}': getWebhookRoute(deps),
    'DELETE /v1/webhooks/{id}': deleteWebhookRoute(deps),
    'POST /v1/webhooks/redrive': redriveRoute(deps),
  };
}
