// The CloudWatch metrics the escalate function emits (Powertools EMF: the namespace and `service` dimension
// of functions/observability/powertools.ts), one per outcome of an invocation. Named here rather than inline
// because an operational alarm (infra/constructs/operational-alarms.ts) watches one of them: renaming it
// here renames what the alarm reads, instead of leaving an alarm on a metric nobody emits.
export const ESCALATION_METRICS = {
  opened: 'EscalationOpened',
  /** The SLA passed below the maximum level: the next level's reviewers take over. */
  raised: 'EscalationRaised',
  /** The SLA passed at the workflow's maximum level: nobody answered, so the step is denied (timeout = deny). */
  timedOut: 'EscalationTimedOut',
  /** Any invocation that threw, the timeouts above included. */
  failed: 'EscalationFailed',
} as const;
