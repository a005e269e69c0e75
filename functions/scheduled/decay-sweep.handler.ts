// The hourly decay sweep (SPEC §2): announces the trust changes inactivity decay causes
// (functions/app/trust/decay-sweep.ts). Invoked by a schedule rule; answers { agents, announced }. Wiring only.
import { sweepDecay } from '../app/trust/decay-sweep.ts';
import { documentClient, tableName } from '../data/document-client.ts';
import { busAnnouncer } from '../events/bus-publisher.ts';
import { observedHandler } from '../observability/observed-handler.ts';
import { logger } from '../observability/powertools.ts';

export const handler = observedHandler(async () => {
  const summary = await sweepDecay({
    client: documentClient(),
    agentsTable: tableName('agents'),
    announcer: busAnnouncer(),
    clock: Date.now,
  });
  logger.info('decay sweep finished', { ...summary });
  return summary;
});
