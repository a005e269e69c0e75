// Counts the requests the edge hands to a service, keyed `<Service>.<Operation>` (`DynamoDB.BatchGetItem`,
// `StepFunctions.StartExecution`, `Lambda.Invoke`): the figure AWS bills and throttles by, so a benchmark can
// say how many AWS calls a unit of work costs. Always on; a Map increment per request is noise next to HTTP.
// Each count is also kept per caller: the session token (or else the access key id) a request was signed
// with. Every sandboxed function signs with its own name as the token (function-environment.ts), as every Lambda function has its own role's credentials in
// AWS, so a benchmark can tell the gate's requests from those of the consumers running beside it.
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

/**
 * Who signed a request: its session token (`X-Amz-Security-Token`: a sandboxed function's name) if any, else
 * the access key id of its SigV4 `Authorization` header (`… Credential=<id>/<date>/…`); undefined if unsigned.
 */
export function callerOf(headers: {
  authorization?: string | undefined;
  'x-amz-security-token'?: string | string[] | undefined;
}): string | undefined {
  const token = headers['x-amz-security-token'];
  if (typeof token === 'string' && token !== '') return token;
  return headers.authorization?.match(/Credential=([^/,\s]+)\//)?.[1];
}

/** Requests no signature names a caller for. */
export const ANONYMOUS_CALLER = 'anonymous';

export interface RequestCounter {
  record(key: string, caller?: string): void;
  /** A copy of the counts since start or the last reset. */
  counts(): Record<string, number>;
  /** The same counts split by caller (access key id). */
  countsByCaller(): Record<string, Record<string, number>>;
  reset(): void;
}

export function createRequestCounter(): RequestCounter {
  const counts = new Map<string, number>();
  const byCaller = new Map<string, Map<string, number>>();
  return {
    record: (key, caller = ANONYMOUS_CALLER) => {
      counts.set(key, (counts.get(key) ?? 0) + 1);
      const ofCaller = byCaller.get(caller) ?? new Map<string, number>();
      ofCaller.set(key, (ofCaller.get(key) ?? 0) + 1);
      byCaller.set(caller, ofCaller);
    },
    counts: () => Object.fromEntries(counts),
    countsByCaller: () =>
      Object.fromEntries([...byCaller].map(([caller, ofCaller]) => [caller, Object.fromEntries(ofCaller)])),
    reset: () => {
      counts.clear();
      byCaller.clear();
    },
  };
}
