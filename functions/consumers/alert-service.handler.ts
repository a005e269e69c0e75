// The alert service (SPEC §5): stores an alert for each event that raises one and publishes it as
// `alert.<kind>` (functions/app/alerts/raise-alert.ts). Wiring only.
import { raiseAlertFor } from '../app/alerts/raise-alert.ts';
import { documentClient, tableName } from '../data/document-client.ts';
import { busPublisher } from '../events/bus-publisher.ts';
import { eventConsumerHandler } from '../events/event-consumer.ts';

const dependencies = {
  client: documentClient(),
  alertsTable: tableName('alerts'),
  publisher: busPublisher(),
  clock: Date.now,
};

export const handler = eventConsumerHandler({
  consumer: 'alert-service',
  process: async (event) => {
    await raiseAlertFor(dependencies, event.detail);
  },
});
