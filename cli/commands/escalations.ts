// trustgate escalations ls [--status PENDING|APPROVED|REJECTED|TIMED_OUT]   GET /v1/escalations, every page
// trustgate escalations approve <id> [--comment <text>]                    POST /v1/escalations/{id}/approve
// trustgate escalations reject <id> --reason <text>                        POST /v1/escalations/{id}/reject
// (also as `trustgate approve …` / `trustgate reject …`). Answering needs a key with the reviewer role at
// the escalation's level or above; the key's name is the recorded reviewer.
import type { EscalationView } from '../../functions/app/escalations/escalation-view.ts';
import type { CommandContext } from '../command-context.ts';
import { table } from '../format.ts';

/** Pages followed at most (100 escalations each): a bound on a runaway listing, far above any real queue. */
const MAX_PAGES = 100;

export async function listEscalations(ctx: CommandContext, options: { status: string }): Promise<number> {
  const api = ctx.api();
  const items: EscalationView[] = [];
  let nextToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const answer = await api.get<{ items: EscalationView[]; nextToken: string | null }>('/v1/escalations', {
      status: options.status,
      limit: 100,
      nextToken,
    });
    items.push(...answer.items);
    if (!answer.nextToken) break;
    nextToken = answer.nextToken;
  }
  ctx.result({ items }, () => {
    if (items.length === 0) return `no ${options.status} escalations`;
    return table(
      ['ESCALATION', 'STATUS', 'WORKFLOW', 'STEP', 'AGENT', 'TIER', 'NEEDS', 'LEVEL', 'DEADLINE'],
      items.map((escalation) => [
        escalation.escalationId,
        escalation.status,
        escalation.workflowId,
        escalation.step,
        escalation.agentId,
        escalation.agentTier ?? '--',
        escalation.requiredTier,
        `${escalation.level}/${escalation.maxLevel}`,
        escalation.deadline,
      ]),
    );
  });
  return 0;
}

export async function answerEscalation(
  ctx: CommandContext,
  escalationId: string,
  verdict: { kind: 'approve'; comment?: string } | { kind: 'reject'; reason: string },
): Promise<number> {
  const body =
    verdict.kind === 'approve'
      ? verdict.comment === undefined
        ? {}
        : { comment: verdict.comment }
      : { reason: verdict.reason };
  const escalation = await ctx
    .api()
    .post<EscalationView>(`/v1/escalations/${encodeURIComponent(escalationId)}/${verdict.kind}`, body);
  ctx.result(escalation, () => {
    const said = escalation.comment ?? escalation.reason;
    return `${escalation.status} ${escalation.escalationId} (workflow ${escalation.workflowId}, step ${escalation.step}) by ${escalation.reviewer ?? '?'} at level ${escalation.reviewerLevel ?? '?'}${said ? `: ${said}` : ''}`;
  });
  return 0;
}
