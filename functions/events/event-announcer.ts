// Announcing a fact that is already committed (a workflow started or finished, an escalation opened or
// answered). The publisher retries partial failures and parks what the bus refuses on the
// undelivered-events queue; should even that fail, failing the caller now would not undo the fact — it
// would only make a client or a state machine retry something that already happened. So the failure is
// reported instead, with the whole events, which the log keeps for a replay.
import type { TrustgateEvent } from '../core/events/event-envelope.ts';
import type { EventPublisher } from './event-publisher.ts';

export interface EventAnnouncer {
  announce(events: readonly TrustgateEvent[]): Promise<void>;
}

export function eventAnnouncer(
  publisher: EventPublisher,
  reportUndelivered: (error: unknown, events: readonly TrustgateEvent[]) => void,
): EventAnnouncer {
  return {
    async announce(events) {
      try {
        await publisher.publish(events);
      } catch (error) {
        reportUndelivered(error, events);
      }
    },
  };
}
