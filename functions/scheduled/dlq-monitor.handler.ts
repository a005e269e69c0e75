// The DLQ monitor, invoked every minute by a schedule rule: raises `dlq.not_empty` once per episode of a
// watched dead-letter queue holding messages (functions/app/alerts/dlq-monitor.ts). Reads MONITORED_DLQ_URLS,
// ALERTS_TABLE (episode records) and the bus publisher's environment; answers the per-queue report. Wiring only.
import { SQSClient } from '@aws-sdk/client-sqs';
import { monitorDeadLetterQueues } from '../app/alerts/dlq-monitor.ts';
import { parseMonitoredQueues } from '../app/alerts/monitored-queues.ts';
import { documentClient, tableName } from '../data/document-client.ts';
import { busPublisher } from '../events/bus-publisher.ts';
import { observedHandler } from '../observability/observed-handler.ts';
import { logger, tracer } from '../observability/powertools.ts';

const sqs = tracer.captureAWSv3Client(new SQSClient({}));

export const handler = observedHandler(async () => {
  const queues = await monitorDeadLetterQueues({
    sqs,
    client: documentClient(),
    alertsTable: tableName('alerts'),
    publisher: busPublisher(),
    queues: parseMonitoredQueues(process.env.MONITORED_DLQ_URLS),
    clock: Date.now,
  });
  const nonEmpty = queues.filter((queue) => queue.messages > 0);
  if (nonEmpty.length > 0) logger.warn('dead-letter queues hold messages', { queues: nonEmpty });
  return { queues };
});
