// What every event of one API shares: its id, stage, account and the domain it answers on.
import { SANDBOX_ACCOUNT_ID } from '../contracts.ts';
import type { IncomingRequest } from './incoming-request.ts';

export interface ApiContext {
  apiId: string;
  stage: string;
  region: string;
  accountId: string;
}

export function createApiContext(apiId: string, stage: string, region: string): ApiContext {
  return { apiId, stage, region, accountId: SANDBOX_ACCOUNT_ID };
}

/** The Host the client used, without its port, like a custom domain name in AWS. */
export function domainOf(
  request: IncomingRequest,
  api: ApiContext,
): { domainName: string; domainPrefix: string } {
  const host =
    request.headers.host?.replace(/:\d+$/, '') ?? `${api.apiId}.execute-api.${api.region}.amazonaws.com`;
  return { domainName: host, domainPrefix: host.split('.')[0]! };
}

/** `arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/{method}{path}`, the resource authorizers see. */
export function routeArn(api: ApiContext, method: string, rawPath: string): string {
  return `arn:aws:execute-api:${api.region}:${api.accountId}:${api.apiId}/${api.stage}/${method}${pathWithinStage(api, rawPath) ?? rawPath}`;
}

/** A named stage is the first path segment; `$default` serves from the root. Undefined: not this stage. */
export function pathWithinStage(api: ApiContext, rawPath: string): string | undefined {
  if (api.stage === '$default') return rawPath;
  const prefix = `/${api.stage}`;
  if (rawPath === prefix) return '/';
  return rawPath.startsWith(`${prefix}/`) ? rawPath.slice(prefix.length) : undefined;
}
