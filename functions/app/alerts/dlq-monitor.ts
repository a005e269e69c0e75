// The DLQ monitor (SPEC §5, "DLQ non-empty"): every minute, ApproximateNumberOfMessages of each watched
// dead-letter queue; a queue that became non-empty raises `dlq.not_empty` { queue, messages } under tenant
// `platform`, once per episode (core/alerts/dlq-episode.ts), which the alert service turns into a critical
// `alert.dlq_not_empty`.
//
// Why episodes and not a per-hour key: a key by hour re-alerts every hour a queue stays non-empty, alerts
// twice for an episode that crosses an hour, and stays silent for a queue that is drained and fills again
// within the hour — the case that most needs a new alert. An episode record costs one read per queue per run.
//
// Each queue is handled on its own: one that cannot be read or announced does not stop the others; the run
// then fails (so the function's error metric shows it) and the next run picks the episode up where it was.
import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { PLATFORM_TENANT } from '../../core/alerts/alert-kinds.ts';
import { type DlqEpisode, episodeEventKey, nextEpisodeStep } from '../../core/alerts/dlq-episode.ts';
import { newEvent } from '../../core/events/event-envelope.ts';
import type { EventPublisher } from '../../events/event-publisher.ts';
import { endEpisode, markAnnounced, readEpisode, recordEpisode } from './dlq-episodes-repository.ts';
import type { MonitoredQueues } from './monitored-queues.ts';

export interface DlqMonitorDependencies {
  sqs: Pick<SQSClient, 'send'>;
  client: DynamoDBDocumentClient;
  alertsTable: string;
  publisher: EventPublisher;
  queues: MonitoredQueues;
  clock: () => number;
}

export interface QueueReport {
  queue: string;
  messages: number;
  action: 'none' | 'start' | 'announce' | 'end';
}

export async function monitorDeadLetterQueues(deps: DlqMonitorDependencies): Promise<QueueReport[]> {
  const results = await Promise.allSettled(
    Object.entries(deps.queues).map(([queue, url]) => monitorQueue(deps, queue, url)),
  );
  const failures = results.flatMap((result) => (result.status === 'rejected' ? [result.reason] : []));
  if (failures.length > 0)
    throw new AggregateError(failures, `${failures.length} dead-letter queue(s) not checked`);
  return results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
}

async function monitorQueue(deps: DlqMonitorDependencies, queue: string, url: string): Promise<QueueReport> {
  const messages = await approximateMessages(deps.sqs, url);
  const current = await readEpisode(deps.client, deps.alertsTable, queue);
  const step = nextEpisodeStep(queue, messages, current, deps.clock());
  switch (step.action) {
    case 'start':
      // Another run recorded one first: that run announces it (or the next one does).
      if (await recordEpisode(deps.client, deps.alertsTable, step.episode))
        await announce(deps, step.episode);
      break;
    case 'announce':
      await announce(deps, step.episode);
      break;
    case 'end':
      await endEpisode(deps.client, deps.alertsTable, step.episode);
      break;
    case 'none':
      break;
  }
  return { queue, messages, action: step.action };
}

async function announce(deps: DlqMonitorDependencies, episode: DlqEpisode): Promise<void> {
  await deps.publisher.publish([
    newEvent('dlq.not_empty', {
      tenantId: PLATFORM_TENANT,
      key: episodeEventKey(episode),
      occurredAt: episode.startedAt,
      data: { queue: episode.queue, messages: episode.messages },
    }),
  ]);
  await markAnnounced(deps.client, deps.alertsTable, episode);
}

async function approximateMessages(sqs: Pick<SQSClient, 'send'>, url: string): Promise<number> {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages'] }),
  );
  const count = Number(Attributes?.ApproximateNumberOfMessages ?? 0);
  return Number.isFinite(count) ? count : 0;
}
