// Every routed API handler of functions/api/ (all but the health probes) in one process, against the real
// emulators of startApiTestEnvironment (DynamoDB Local, the sandbox edge with EventBridge and SQS). On top
// of what that environment sets, this sets what the other handlers read at cold start, the way the stack
// sets it (infra/stacks/stateless-stack.ts): the state machine ARNs and STAGE of the workflows API, the
// consumer queues of the events API (real SQS queues on the edge), the webhook delivery queues. Step
// Functions points at the discard port: a request the fuzz sends must never get that far, and one that
// did would fail loudly instead of starting an execution.
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { HttpApiEvent, HttpApiResponse } from '../../../functions/http/http-api-event.ts';
import type { testLambdaContext } from '../../support/http-api-event.ts';
import { type ApiTestEnvironment, startApiTestEnvironment } from '../api/api-test-environment.ts';

export type ApiHandler = (event: HttpApiEvent, context: typeof testLambdaContext) => Promise<HttpApiResponse>;

/** The entry names of functions/api/<name>.handler.ts that serve routes through routeRequest. */
export const ROUTED_HANDLERS = [
  'agents',
  'memories',
  'intents',
  'proofs',
  'workflows',
  'escalations',
  'events',
  'webhooks',
  'audit',
  'alerts',
  'api-keys',
  'metrics',
] as const;
export type RoutedHandler = (typeof ROUTED_HANDLERS)[number];

export interface FuzzEnvironment {
  api: ApiTestEnvironment;
  handlers: Record<RoutedHandler, ApiHandler>;
  stop(): Promise<void>;
}

const REGION = 'us-east-1';

/**
 * Starts the emulators, sets the environment and imports every handler, one after the other; `imported`
 * is called after each import (the suite records the route keys each handler registered there).
 */
export async function startFuzzEnvironment(
  imported: (name: RoutedHandler) => void = () => undefined,
): Promise<FuzzEnvironment> {
  const api = await startApiTestEnvironment('fuzz');
  // Only errors: an unhandled error logged by the router is the 500 a failing run is about.
  process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
  process.env.STAGE = 'test';
  process.env.SEQUENTIAL_STATE_MACHINE_ARN = 'arn:aws:states:us-east-1:000000000000:stateMachine:sequential';
  process.env.PARALLEL_STATE_MACHINE_ARN = 'arn:aws:states:us-east-1:000000000000:stateMachine:parallel';
  process.env.SAGA_STATE_MACHINE_ARN = 'arn:aws:states:us-east-1:000000000000:stateMachine:saga';
  process.env.AWS_ENDPOINT_URL_SFN = 'http://127.0.0.1:9';

  const sqs = new SQSClient({
    endpoint: api.bus.edgeUrl,
    region: REGION,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  const queueUrl = async (name: string) =>
    (await sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!;
  process.env.CONSUMER_QUEUES = JSON.stringify({
    'audit-logger': {
      queueUrl: await queueUrl('fuzz-audit-logger'),
      deadLetterQueueUrl: await queueUrl('fuzz-audit-logger-dlq'),
    },
  });
  process.env.WEBHOOK_DELIVERY_QUEUE_URL = await queueUrl('fuzz-webhook-deliveries');
  process.env.WEBHOOK_DLQ_URL = await queueUrl('fuzz-webhook-deliveries-dlq');
  sqs.destroy();

  const handlers = {} as Record<RoutedHandler, ApiHandler>;
  for (const name of ROUTED_HANDLERS) {
    const module = (await import(`../../../functions/api/${name}.handler.ts`)) as { handler: ApiHandler };
    handlers[name] = module.handler;
    imported(name);
  }
  return { api, handlers, stop: () => api.stop() };
}
