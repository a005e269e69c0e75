// The analytics consumer (SPEC §5): turns every event on its queue into counter and histogram updates in
// the analytics table (functions/app/analytics/apply-event-metrics.ts), which GET /metrics exposes.
// Wiring only.
import { applyEventMetrics } from '../app/analytics/apply-event-metrics.ts';
import { documentClient, tableName } from '../data/document-client.ts';
import { eventConsumerHandler } from '../events/event-consumer.ts';

const dependencies = { client: documentClient(), analyticsTable: tableName('analytics'), clock: Date.now };

export const handler = eventConsumerHandler({
  consumer: 'analytics',
  process: async (event) => {
    await applyEventMetrics(dependencies, event.detail);
  },
});
