// What `GET /v1/agents/{id}/intents/verify` answers: verifyChain's result over the stored records, checked
// once more against the agent's chain head. verifyChain proves each record links to the one before it,
// but cannot see records missing after the last one it was given, nor a last record rewritten together
// with its own hash. The head (written in the same transaction as each record) anchors the tail:
//   fewer records than head.lastSequence   → brokenAt the first missing sequence, reason `missing_record`
//   last hash differs from head.lastHash   → brokenAt the last record, reason `head_mismatch`
//   (records without any head count as the latter: no append of ours writes one without the other)
import type { ChainBreak, ChainVerification, IntentRecord } from '../../core/intents/chain.ts';
import type { ChainHead } from '../../data/agent-item.ts';

export interface ChainIntegrity {
  valid: boolean;
  length: number;
  brokenAt?: {
    sequence: number;
    /** Absent when the broken link is a record that is missing altogether. */
    intentId?: string;
    reason: ChainBreak | 'missing_record' | 'head_mismatch';
  };
}

export function chainIntegrity(
  verification: ChainVerification,
  records: readonly IntentRecord[],
  head: ChainHead | undefined,
): ChainIntegrity {
  if (!verification.valid) return verification;
  const { length } = verification;
  const expectedLength = head?.lastSequence ?? 0;
  if (length < expectedLength) {
    return { valid: false, length, brokenAt: { sequence: length + 1, reason: 'missing_record' } };
  }
  const last = records.at(-1);
  if (last && last.hash !== head?.lastHash) {
    return {
      valid: false,
      length,
      brokenAt: { sequence: last.sequence, intentId: last.intentId, reason: 'head_mismatch' },
    };
  }
  return verification;
}
