// A trust signal about an agent the tenant has not registered. The consumer lets it fail: the message is
// retried with backoff and ends in the trust calculator's DLQ, from where a redrive applies it once the
// agent is registered (the "poison message" path).
export class UnknownAgentError extends Error {
  override readonly name = 'Trustgate.UnknownAgent';

  constructor(
    readonly tenantId: string,
    readonly agentId: string,
    readonly eventId: string,
  ) {
    super(
      `event ${eventId} is about agent "${agentId}", which is not registered in tenant "${tenantId}"; ` +
        'register the agent, then redrive the trust-calculator dead-letter queue',
    );
  }
}
