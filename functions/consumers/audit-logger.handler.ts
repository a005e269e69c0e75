// The audit logger (SPEC §5): every trustgate event, appended once to its tenant's hash-chained trail in
// AUDIT_TABLE. Wiring only: the effect is functions/app/audit/append-audit-event.ts, the SQS batch,
// idempotency, retries and dead-lettering are eventConsumerHandler's.
import { appendAuditEvent } from '../app/audit/append-audit-event.ts';
import { CHECKPOINT_INTERVAL } from '../core/audit/audit-checkpoint.ts';
import { documentClient, tableName } from '../data/document-client.ts';
import { eventConsumerHandler } from '../events/event-consumer.ts';

const deps = {
  client: documentClient(),
  table: tableName('audit'),
  checkpointInterval: CHECKPOINT_INTERVAL,
  clock: Date.now,
  random: Math.random,
};

export const handler = eventConsumerHandler({
  consumer: 'audit-logger',
  process: async (event) => {
    await appendAuditEvent(deps, event);
  },
});
