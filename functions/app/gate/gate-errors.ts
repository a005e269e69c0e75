// The errors the gate fails a step with. A Lambda function's error is reported with `errorType` =
// error.name, and Step Functions uses that errorType as the error name its Retry and Catch match, so each
// error's name is its contract with statemachines/gated-step.asl.json (the step of every flow):
//
//   Trustgate.StepDenied        L3 said DENY; message = the decision's reasons              caught
//   Trustgate.StepEscalated     L3 said ESCALATE and no approval covers it; message = the
//                               level and the reasons; the state machine opens an escalation caught
//   Trustgate.CircuitOpen       a saga step's agent breaker refuses calls and no fallback
//                               took it (other steps are served: serve-open-circuit.ts)      caught
//   Trustgate.RateLimited       the tenant's token bucket is empty                           retried, then caught
//   Trustgate.Contended         optimistic locks kept losing to concurrent gates             retried, then caught
//   Trustgate.ProviderFailed    a transient provider failure (throttling, 5xx, timeout)      retried, then caught
//   Trustgate.ProviderRejected  a provider failure that will recur (4xx, bad config)         caught
//   Trustgate.StepInvalid       the gate was asked for a step that cannot run (unknown
//                               workflow, tenant or agent mismatch, not routed yet, workflow
//                               not running, waiting for approval, an earlier step of a
//                               sequential or saga workflow not yet succeeded)               caught
//   Trustgate.InjectedFailure   input.failAt named this step (never in production)           caught
//
// The other functions of the flows (docs/backend.md "Functions of the flows") fail with:
//   Trustgate.NoQualifiedAgent     route: nobody qualified within the queue's bounded attempts
//   Trustgate.EscalationTimedOut   escalate: the SLA expired at the maximum level (timeout = deny)
//   Trustgate.EscalationRefused    escalate: the decision needs a level above the workflow's maximum
//   Trustgate.EscalationRejected   sent by the escalations API with SendTaskFailure: a reviewer said no
//   Trustgate.CompensationFailed   compensate: undoing a saga step failed (retried, then the saga FAILS)

export const GATE_ERROR_NAMES = {
  stepDenied: 'Trustgate.StepDenied',
  stepEscalated: 'Trustgate.StepEscalated',
  circuitOpen: 'Trustgate.CircuitOpen',
  rateLimited: 'Trustgate.RateLimited',
  contended: 'Trustgate.Contended',
  providerFailed: 'Trustgate.ProviderFailed',
  providerRejected: 'Trustgate.ProviderRejected',
  stepInvalid: 'Trustgate.StepInvalid',
  injectedFailure: 'Trustgate.InjectedFailure',
  noQualifiedAgent: 'Trustgate.NoQualifiedAgent',
  escalationTimedOut: 'Trustgate.EscalationTimedOut',
  escalationRefused: 'Trustgate.EscalationRefused',
  escalationRejected: 'Trustgate.EscalationRejected',
  compensationFailed: 'Trustgate.CompensationFailed',
} as const;

export type GateErrorName = (typeof GATE_ERROR_NAMES)[keyof typeof GATE_ERROR_NAMES];

export class GateError extends Error {
  override readonly name: GateErrorName;

  constructor(name: GateErrorName, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = name;
  }
}

/** `Trustgate.StepInvalid`: a function of the flow was asked for something that cannot run. */
export function stepInvalid(message: string): GateError {
  return new GateError(GATE_ERROR_NAMES.stepInvalid, message);
}
