// trustgate audit verify [--mode full|checkpoints] [--from-sequence <n>]   GET /v1/audit/verify
// Verifies the tenant's hash-chained audit trail to its head: in full mode one answer covers at most 20 000
// records and names the next sequence, so the CLI asks again from there until it reaches the head or finds a
// break. Exit 0 when the trail verifies, 1 when it does not (the first broken record and field are shown).
// With --json, the answers are summed into one of the same shape (checked counts added up, the range from the
// first answer's start to the last one's end, the last head), plus `requests`.
import type { AuditVerification } from '../../functions/app/audit/verify-audit-trail.ts';
import { EXIT } from '../cli-errors.ts';
import type { CommandContext } from '../command-context.ts';

/** A bound on one run: 1 000 answers of 20 000 records. */
const MAX_REQUESTS = 1000;

export interface VerifyOptions {
  mode: 'full' | 'checkpoints';
  fromSequence?: number;
}

export async function verifyAudit(ctx: CommandContext, options: VerifyOptions): Promise<number> {
  const api = ctx.api();
  let fromSequence = options.fromSequence;
  let summary: (AuditVerification & { requests: number }) | undefined;
  for (let request = 1; request <= MAX_REQUESTS; request++) {
    const answer = await api.get<AuditVerification>('/v1/audit/verify', { mode: options.mode, fromSequence });
    summary =
      summary === undefined
        ? { ...answer, requests: 1 }
        : {
            ...answer,
            checked: {
              records: summary.checked.records + answer.checked.records,
              checkpoints: summary.checked.checkpoints + answer.checked.checkpoints,
            },
            range:
              summary.range && answer.range
                ? { fromSequence: summary.range.fromSequence, toSequence: answer.range.toSequence }
                : (answer.range ?? summary.range),
            requests: request,
          };
    if (!answer.valid || answer.nextSequence === null) break;
    fromSequence = answer.nextSequence;
  }
  const result = summary!;
  const complete = result.nextSequence === null;
  ctx.result(result, () => {
    const checked = `${result.checked.records} record${result.checked.records === 1 ? '' : 's'} and ${result.checked.checkpoints} checkpoint${result.checked.checkpoints === 1 ? '' : 's'} checked (${result.mode})`;
    if (result.firstBroken) {
      const broken = result.firstBroken;
      return `audit trail BROKEN at sequence ${broken.sequence}${broken.eventId ? ` (event ${broken.eventId})` : ''}: ${broken.field} ${broken.reason}\n${checked}`;
    }
    const head = `head at sequence ${result.head.sequence} (${result.head.hash.slice(0, 16)}…)`;
    if (!complete) {
      return `audit trail valid so far, but not verified to its head: ${checked}; continue with --from-sequence ${result.nextSequence}`;
    }
    return `audit trail valid: ${checked}, ${head}`;
  });
  return result.valid && complete ? EXIT.ok : EXIT.notSucceeded;
}
