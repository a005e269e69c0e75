// Imports an API handler for tests that must never reach DynamoDB: the tables are named but the endpoint
// is a closed local port, so a request that slipped past validation fails loudly as a 500 instead of
// passing by accident.
import type { HttpApiEvent, HttpApiResponse } from '../../../functions/http/http-api-event.ts';
import { setTableEnvironment, uniqueTableNames } from '../../support/dynamodb-tables.ts';
import { type HttpApiEventOptions, httpApiEvent, testLambdaContext } from '../../support/http-api-event.ts';

type Handler = (event: HttpApiEvent, context: typeof testLambdaContext) => Promise<HttpApiResponse>;

export type OfflineCall = (routeKey: string, options?: HttpApiEventOptions) => Promise<HttpApiResponse>;

export async function offlineHandler(load: () => Promise<{ handler: Handler }>): Promise<OfflineCall> {
  setTableEnvironment(uniqueTableNames('offline'));
  process.env.AWS_REGION = 'us-east-1';
  process.env.AWS_ACCESS_KEY_ID = 'test';
  process.env.AWS_SECRET_ACCESS_KEY = 'test';
  process.env.AWS_ENDPOINT_URL = 'http://127.0.0.1:9';
  process.env.AWS_MAX_ATTEMPTS = '1';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  const { handler } = await load();
  return (routeKey, options) => handler(httpApiEvent(routeKey, options), testLambdaContext);
}
