// Counts the requests the edge hands to a service, keyed `<Service>.<Operation>` (`DynamoDB.BatchGetItem`,
// `StepFunctions.StartExecution`, `Lambda.Invoke`): the figure AWS bills and throttles by, so a benchmark can
// say how many AWS calls a unit of work costs. Always on; a Map increment per request is noise next to HTTP.
import type { EdgeRoute } from './classify-request.ts';

/** Service names as the AWS SDK's clients name them, for the JSON-protocol target prefixes. */
const SERVICE_BY_TARGET_PREFIX: Readonly<Record<string, string>> = {
  DynamoDB_20120810: 'DynamoDB',
  AmazonSQS: 'SQS',
  AWSStepFunctions: 'StepFunctions',
  AWSEvents: 'EventBridge',
};

/**
 * The counter key of a request the edge routes to a service; undefined for requests it refuses itself
 * (unrecognised, or SQS in the query protocol), which reach no service.
 */
export function requestCountKey(route: EdgeRoute, target: string | undefined): string | undefined {
  switch (route.kind) {
    case 'dynamodb':
    case 'sqs': {
      const [prefix = '', operation = ''] = (target ?? '').split('.');
      return `${SERVICE_BY_TARGET_PREFIX[prefix] ?? prefix}.${operation}`;
    }
    case 'json-service':
      return `${SERVICE_BY_TARGET_PREFIX[route.targetPrefix] ?? route.targetPrefix}.${route.operation}`;
    // Invoke is the only Lambda operation the edge serves.
    case 'lambda-invoke':
      return 'Lambda.Invoke';
    case 'sqs-query':
    case 'unrecognised':
      return undefined;
  }
}

export interface RequestCounter {
  record(key: string): void;
  /** A copy of the counts since start or the last reset. */
  counts(): Record<string, number>;
  reset(): void;
}

export function createRequestCounter(): RequestCounter {
  const counts = new Map<string, number>();
  return {
    record: (key) => {
      counts.set(key, (counts.get(key) ?? 0) + 1);
    },
    counts: () => Object.fromEntries(counts),
    reset: () => counts.clear(),
  };
}
