// Readiness: SQS answers for every queue work waits in, and the backlog is bounded. One
// GetQueueAttributes(ApproximateNumberOfMessages) per queue, at once, answers both: `sqs` fails when a queue
// cannot be read, `queueBacklog` when the messages waiting in all of them together reach
// QUEUE_BACKLOG_LIMIT (SPEC §6): consumers that fall that far behind make every new event late, so the
// platform should not take more work in. The figures are SQS's approximate ones, as an alarm would see them.
import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { type CheckResult, describeFailures, type HealthCheck, settleEach } from './health-report.ts';

/** Messages waiting in the watched queues together at which the platform is no longer ready (exclusive). */
export const QUEUE_BACKLOG_LIMIT = 1_000;

export interface QueueDepths {
  /** Messages waiting, by queue name; absent for a queue that could not be read. */
  depths: Record<string, number>;
  failures: { target: string; error: unknown }[];
}

/** The backlog rule on depths already read: ok while the total is below QUEUE_BACKLOG_LIMIT. */
export function backlogCheck({ depths, failures }: QueueDepths): CheckResult {
  const messages = Object.values(depths).reduce((total, depth) => total + depth, 0);
  const figures = { messages, limit: QUEUE_BACKLOG_LIMIT, queues: depths };
  if (failures.length > 0)
    return {
      ok: false,
      ...figures,
      error: `backlog unknown: ${failures.map(({ target }) => target).join(', ')} could not be read`,
    };
  if (messages >= QUEUE_BACKLOG_LIMIT)
    return {
      ok: false,
      ...figures,
      error: `${messages} messages waiting (ready below ${QUEUE_BACKLOG_LIMIT})`,
    };
  return { ok: true, ...figures };
}

/**
 * The `sqs` and `queueBacklog` checks of one probe, sharing one read of the queues. Build them anew for
 * every probe: the read happens once, when the first of the two runs.
 */
export function queueChecks(
  sqs: Pick<SQSClient, 'send'>,
  queues: Readonly<Record<string, string>>,
): { sqs: HealthCheck; queueBacklog: HealthCheck } {
  let reading: Promise<QueueDepths> | undefined;
  const read = (signal: AbortSignal) => {
    reading ??= readQueueDepths(sqs, queues, signal);
    return reading;
  };
  return {
    sqs: async (signal) => {
      const { failures } = await read(signal);
      const figures = { queues: Object.keys(queues).length };
      return failures.length === 0
        ? { ok: true, ...figures }
        : { ok: false, ...figures, error: describeFailures(failures) };
    },
    queueBacklog: async (signal) => backlogCheck(await read(signal)),
  };
}

async function readQueueDepths(
  sqs: Pick<SQSClient, 'send'>,
  queues: Readonly<Record<string, string>>,
  signal: AbortSignal,
): Promise<QueueDepths> {
  const { values, failures } = await settleEach(Object.keys(queues), async (name) => {
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: queues[name]!,
        AttributeNames: ['ApproximateNumberOfMessages'],
      }),
      { abortSignal: signal },
    );
    const depth = Number(Attributes?.ApproximateNumberOfMessages);
    if (!Number.isFinite(depth)) throw new Error('no ApproximateNumberOfMessages in the answer');
    return depth;
  });
  return { depths: values, failures };
}
