// Plain-text rendering of the CLI's human output: aligned tables, step lines, numbers. No colours or
// cursor tricks, so the output reads the same in a terminal, a pipe or a CI log.
import type { StepView } from '../functions/app/workflows/workflow-view.ts';

/** Columns padded to their widest cell; the last column is not padded. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column]!)))
      .join('  ')
      .trimEnd();
  return `${[line(headers), ...rows.map(line)].join('\n')}\n`;
}

export function milliseconds(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

export function score(value: number): string {
  return value.toFixed(1);
}

/** +2.4 / −12.0 / ±0.0. */
export function signed(value: number): string {
  if (value > 0) return `+${value.toFixed(1)}`;
  if (value < 0) return `−${Math.abs(value).toFixed(1)}`;
  return '±0.0';
}

export function truncate(text: string, length: number): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > length ? `${oneLine.slice(0, length - 1)}…` : oneLine;
}

/** Total tokens of a step (prompt and completion), when it ran. */
export function stepTokens(step: Pick<StepView, 'tokens'>): number | undefined {
  return step.tokens === null ? undefined : step.tokens.input + step.tokens.output;
}

const MARKS: Readonly<Record<StepView['status'], string>> = {
  PENDING: '·',
  QUEUED: '…',
  DECIDED: '→',
  WAITING_APPROVAL: '⏸',
  APPROVED: '✔',
  SUCCEEDED: '✓',
  FAILED: '✗',
  COMPENSATED: '↺',
};

/** What happened to the step in its current status, after its agent, tier and decision. */
function stepNote(step: StepView): string {
  switch (step.status) {
    case 'PENDING':
      return 'pending';
    case 'QUEUED': {
      const next = step.routing?.nextAttemptAt ? `; next attempt ${step.routing.nextAttemptAt}` : '';
      return `queued: ${step.routing?.reason ?? 'no qualified agent yet'}${next}`;
    }
    case 'DECIDED':
      return 'running';
    case 'WAITING_APPROVAL': {
      const escalation = step.escalation;
      return escalation
        ? `waiting for a reviewer: escalation ${escalation.escalationId}, level ${escalation.level}, deadline ${escalation.deadline}`
        : 'waiting for a reviewer';
    }
    case 'APPROVED': {
      const approval = step.approval;
      return approval
        ? `approved by ${approval.reviewer} (level ${approval.reviewerLevel})${approval.comment ? `: ${approval.comment}` : ''}`
        : 'approved';
    }
    case 'SUCCEEDED': {
      const tokens = stepTokens(step);
      return [
        tokens === undefined ? '' : `${tokens} tokens`,
        step.durationMs === null ? '' : milliseconds(step.durationMs),
        step.servedBy && step.servedBy.kind !== 'agent' ? `served by ${step.servedBy.kind}` : '',
        step.handover ? `handed over from ${step.handover.fromAgentId}` : '',
      ]
        .filter(Boolean)
        .join(', ');
    }
    case 'FAILED':
      return step.error ? `${step.error.code}: ${step.error.message}` : 'failed';
    case 'COMPENSATED':
      return step.compensation
        ? `compensated #${step.compensation.order}: ${step.compensation.action}`
        : 'compensated';
  }
}

/** `✓ research  research-agent  T3  ALLOW     432 tokens, 38 ms` */
export function stepLine(step: StepView): string {
  const agent = step.agentId ?? (step.role ? `(role ${step.role})` : '--');
  return [
    `${MARKS[step.status]} ${step.name.padEnd(14)}`,
    agent.padEnd(15),
    (step.agentTier ?? '--').padEnd(3),
    (step.decision ?? '--').padEnd(8),
    stepNote(step),
  ]
    .join(' ')
    .trimEnd();
}

/** The decision's reasons, one per line under the step, for a step that was not simply allowed. */
export function reasonLines(step: StepView, indent = '      '): string[] {
  if (step.decision === 'ALLOW' || step.decision === null) return [];
  return step.reasons.map((reason) => `${indent}- ${reason}`);
}
