// The trust calculator (SPEC §5): consumes execution outcomes and compliance findings from its queue and
// applies them to the agents' trust (functions/app/trust/apply-trust-event.ts), publishing
// trust.changed / trust.tier_changed / trust.violation. Wiring only.
import { applyTrustEvent } from '../app/trust/apply-trust-event.ts';
import { documentClient, tableName } from '../data/document-client.ts';
import { busPublisher } from '../events/bus-publisher.ts';
import { eventConsumerHandler } from '../events/event-consumer.ts';

const dependencies = {
  client: documentClient(),
  agentsTable: tableName('agents'),
  publisher: busPublisher(),
  clock: Date.now,
};

export const handler = eventConsumerHandler({
  consumer: 'trust-calculator',
  process: async (event) => {
    await applyTrustEvent(dependencies, event.detail);
  },
});
