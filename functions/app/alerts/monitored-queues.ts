// MONITORED_DLQ_URLS, the dead-letter queues the DLQ monitor watches: a JSON object from the consumer's
// name (what `npm run events -- redrive <consumer>` takes, and what `dlq.not_empty` reports as `queue`) to
// its queue URL. A malformed value is a deployment bug and fails every run loudly.
import { z } from 'zod';

const MonitoredQueuesSchema = z.record(z.string().min(1).max(256), z.url());

export type MonitoredQueues = Readonly<Record<string, string>>;

export function parseMonitoredQueues(json: string | undefined): MonitoredQueues {
  if (json === undefined || json === '')
    throw new Error('environment variable MONITORED_DLQ_URLS is not set');
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new Error('MONITORED_DLQ_URLS is not JSON');
  }
  const parsed = MonitoredQueuesSchema.safeParse(value);
  if (!parsed.success) {
    throw new Error(
      `MONITORED_DLQ_URLS is not a { "<consumer>": "<queue url>" } object: ${parsed.error.message}`,
    );
  }
  return parsed.data;
}
