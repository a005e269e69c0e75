/** Which backend serves a request arriving at the edge, decided from the wire protocol alone. */
export type EdgeRoute =
  | { kind: 'dynamodb' }
  | { kind: 'sqs' }
  | { kind: 'sqs-query'; action: string }
  | { kind: 'json-service'; targetPrefix: string; operation: string }
  | { kind: 'lambda-invoke' }
  | { kind: 'unrecognised'; reason: string };

const DYNAMODB_TARGET_PREFIX = 'DynamoDB_20120810';
const SQS_TARGET_PREFIX = 'AmazonSQS';
const LAMBDA_FUNCTIONS_PATH = '/2015-03-31/functions/';

/** Every action of the SQS API, to tell an SQS query-protocol call from any other form-encoded call. */
const SQS_ACTIONS = new Set([
  'AddPermission',
  'CancelMessageMoveTask',
  'ChangeMessageVisibility',
  'ChangeMessageVisibilityBatch',
  'CreateQueue',
  'DeleteMessage',
  'DeleteMessageBatch',
  'DeleteQueue',
  'GetQueueAttributes',
  'GetQueueUrl',
  'ListDeadLetterSourceQueues',
  'ListMessageMoveTasks',
  'ListQueueTags',
  'ListQueues',
  'PurgeQueue',
  'ReceiveMessage',
  'RemovePermission',
  'SendMessage',
  'SendMessageBatch',
  'SetQueueAttributes',
  'StartMessageMoveTask',
  'TagQueue',
  'UntagQueue',
]);

export interface ClassifiableRequest {
  path: string;
  /** Header names lower-cased. */
  headers: Record<string, string | undefined>;
  body: Buffer;
}

/**
 * Routes as AWS's own endpoints are told apart: JSON-protocol services by the `X-Amz-Target` prefix,
 * Lambda's REST API by its versioned path, and the query protocol by the form-encoded `Action`.
 */
export function classifyRequest(
  request: ClassifiableRequest,
  jsonServicePrefixes: readonly string[],
): EdgeRoute {
  const target = request.headers['x-amz-target'];
  if (target) {
    const dot = target.lastIndexOf('.');
    const prefix = dot === -1 ? target : target.slice(0, dot);
    const operation = dot === -1 ? '' : target.slice(dot + 1);
    if (prefix === DYNAMODB_TARGET_PREFIX) return { kind: 'dynamodb' };
    if (prefix === SQS_TARGET_PREFIX) return { kind: 'sqs' };
    if (jsonServicePrefixes.includes(prefix) && operation) {
      return { kind: 'json-service', targetPrefix: prefix, operation };
    }
    return { kind: 'unrecognised', reason: `X-Amz-Target "${target}" names no service this sandbox serves` };
  }
  if (request.path.startsWith(LAMBDA_FUNCTIONS_PATH)) return { kind: 'lambda-invoke' };
  const contentType = request.headers['content-type'] ?? '';
  if (contentType.includes('application/x-www-form-urlencoded')) {
    const action = new URLSearchParams(request.body.toString('utf8')).get('Action');
    if (action && SQS_ACTIONS.has(action)) return { kind: 'sqs-query', action };
    return {
      kind: 'unrecognised',
      reason: `query-protocol Action "${action ?? '(none)'}" belongs to no service this sandbox serves`,
    };
  }
  return {
    kind: 'unrecognised',
    reason: `request ${request.path} has no X-Amz-Target header and is not a Lambda API path (${LAMBDA_FUNCTIONS_PATH})`,
  };
}
