// An EventPublisher (our own interface) that records what it is given, for tests of the trust calculator
// and the decay sweep; the real bus is covered by the end-to-end tests.
import type { TrustgateEvent } from '../../../functions/core/events/event-envelope.ts';
import type { EventPublisher } from '../../../functions/events/event-publisher.ts';

export interface RecordingPublisher extends EventPublisher {
  published: TrustgateEvent[];
}

export function recordingPublisher(): RecordingPublisher {
  const published: TrustgateEvent[] = [];
  return {
    published,
    async publish(events) {
      published.push(...events);
    },
  };
}
