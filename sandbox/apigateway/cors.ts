// HTTP API CORS: API Gateway answers preflight requests itself and sets the CORS headers of every
// response from the configuration, ignoring any CORS headers the integration returns.
import type { HttpApiCorsSpec } from '../contracts.ts';

export class CorsPolicy {
  constructor(private readonly spec: HttpApiCorsSpec) {}

  /** A preflight is an OPTIONS request carrying Origin and Access-Control-Request-Method. */
  isPreflight(method: string, headers: Record<string, string>): boolean {
    return (
      method === 'OPTIONS' &&
      headers.origin !== undefined &&
      headers['access-control-request-method'] !== undefined
    );
  }

  preflightHeaders(headers: Record<string, string>): Record<string, string> {
    const allowOrigin = this.allowedOrigin(headers.origin);
    if (allowOrigin === undefined) return {};
    const response: Record<string, string> = { 'access-control-allow-origin': allowOrigin };
    if (this.spec.allowMethods.length > 0)
      response['access-control-allow-methods'] = this.spec.allowMethods.join(',');
    if (this.spec.allowHeaders.length > 0)
      response['access-control-allow-headers'] = this.spec.allowHeaders.join(',');
    if (this.spec.maxAgeSeconds !== undefined)
      response['access-control-max-age'] = String(this.spec.maxAgeSeconds);
    if (this.spec.allowCredentials) response['access-control-allow-credentials'] = 'true';
    return response;
  }

  /** Applies the configured CORS headers to a response, replacing the integration's own. */
  applyTo(responseHeaders: Record<string, string | string[]>, requestHeaders: Record<string, string>): void {
    for (const name of Object.keys(responseHeaders)) {
      if (name.startsWith('access-control-')) delete responseHeaders[name];
    }
    const allowOrigin = this.allowedOrigin(requestHeaders.origin);
    if (allowOrigin === undefined) return;
    responseHeaders['access-control-allow-origin'] = allowOrigin;
    if (this.spec.exposeHeaders.length > 0) {
      responseHeaders['access-control-expose-headers'] = this.spec.exposeHeaders.join(',');
    }
    if (this.spec.allowCredentials) responseHeaders['access-control-allow-credentials'] = 'true';
  }

  /** `*` when any origin is allowed, else the request's origin when listed; undefined: no CORS headers. */
  private allowedOrigin(origin: string | undefined): string | undefined {
    if (origin === undefined) return undefined;
    if (this.spec.allowOrigins.includes('*')) return '*';
    return this.spec.allowOrigins.some((allowed) => allowed.toLowerCase() === origin.toLowerCase())
      ? origin
      : undefined;
  }
}
