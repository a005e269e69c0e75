// GET /openapi.json, unauthenticated like the probes, served by the health function: the document a
// client generator, a gateway or a person reads to learn the API. It is built when its module loads, and
// that module is loaded on the first request for it, not at the function's cold start: the document
// imports every route's schemas (the tokenizer that bounds memory texts and workflow tasks among them),
// which GET /health and GET /ready, probed far more often, have no use for.
//
// Cacheable for five minutes (`public`: it is the same for every caller and says nothing a caller could
// not learn from the API itself); a deployment is what changes it.
import type { HttpApiResponse } from '../../http/http-api-event.ts';
import type { PublicRouteHandler } from '../../http/http-router.ts';

export const OPENAPI_CACHE_CONTROL = 'public, max-age=300';

export function openApiRoutes(): Record<string, PublicRouteHandler> {
  return {
    'GET /openapi.json': async (): Promise<HttpApiResponse> => {
      const { OPENAPI_JSON } = await import('./openapi-document.ts');
      return {
        statusCode: 200,
        headers: { 'content-type': 'application/json', 'cache-control': OPENAPI_CACHE_CONTROL },
        body: OPENAPI_JSON,
      };
    },
  };
}
