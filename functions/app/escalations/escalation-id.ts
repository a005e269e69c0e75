// Escalation ids are derived, not drawn (docs/backend.md "escalate"): one id per workflow step, intent and
// level, so a retried escalate invocation finds the item its first attempt wrote instead of opening a
// second one, and a raised level is a new item next to the timed-out one.
//
//   escalationId = "esc-" + first 32 hex of SHA-256("<workflowId>|<stepIndex>|<intentId>|<level>")
import { createHash } from 'node:crypto';
import { z } from 'zod';

export interface EscalationKey {
  workflowId: string;
  stepIndex: number;
  intentId: string;
  level: number;
}

export function escalationIdFor(key: EscalationKey): string {
  const digest = createHash('sha256')
    .update(`${key.workflowId}|${key.stepIndex}|${key.intentId}|${key.level}`, 'utf8')
    .digest('hex');
  return `esc-${digest.slice(0, 32)}`;
}

/** An escalation id as the API accepts it: the one spelling escalationIdFor produces. */
export const EscalationIdSchema = z
  .string()
  .regex(/^esc-[0-9a-f]{32}$/, '"esc-" followed by 32 lowercase hex characters');
