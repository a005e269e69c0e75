// trustgate workflows ls [--status <status>] [--limit <n>] [--next-token <token>]   GET /v1/workflows
// trustgate workflows show <id>                                                    GET /v1/workflows/{id}
import type { WorkflowSummaryView, WorkflowView } from '../../functions/app/workflows/workflow-view.ts';
import type { CommandContext } from '../command-context.ts';
import { reasonLines, stepLine, table, truncate } from '../format.ts';
import { outcome } from './run.ts';

export interface ListWorkflowsOptions {
  status?: string;
  limit?: number;
  nextToken?: string;
}

interface WorkflowPage {
  items: WorkflowSummaryView[];
  nextToken: string | null;
}

export async function listWorkflows(ctx: CommandContext, options: ListWorkflowsOptions): Promise<number> {
  const page = await ctx.api().get<WorkflowPage>('/v1/workflows', {
    status: options.status,
    limit: options.limit,
    nextToken: options.nextToken,
  });
  ctx.result(page, () => {
    if (page.items.length === 0 && page.nextToken === null) return 'no workflows';
    const rows = page.items.map((workflow) => [
      workflow.workflowId,
      workflow.status,
      workflow.template ?? workflow.type,
      `${workflow.steps.filter((step) => step.status === 'SUCCEEDED').length}/${workflow.steps.length}`,
      workflow.createdAt,
      truncate(workflow.task, 48),
    ]);
    const more =
      page.nextToken === null ? '' : `more: trustgate workflows ls --next-token ${page.nextToken}\n`;
    return table(['WORKFLOW', 'STATUS', 'TEMPLATE', 'DONE', 'CREATED', 'TASK'], rows) + more;
  });
  return 0;
}

export async function showWorkflow(ctx: CommandContext, workflowId: string): Promise<number> {
  const workflow = await ctx.api().get<WorkflowView>(`/v1/workflows/${encodeURIComponent(workflowId)}`);
  ctx.result(workflow, () => workflowDetail(workflow));
  return 0;
}

function workflowDetail(workflow: WorkflowView): string {
  const lines = [
    `workflow ${workflow.workflowId} (${workflow.template ? `template ${workflow.template}, ` : ''}${workflow.type})`,
    `status   ${workflow.status}`,
    `created  ${workflow.createdAt}, updated ${workflow.updatedAt}`,
    `options  preference ${workflow.options.preference}, escalation SLA ${workflow.options.escalation.slaSeconds} s up to level ${workflow.options.escalation.maxLevel}`,
    'steps',
  ];
  for (const step of workflow.steps) {
    lines.push(`  ${stepLine(step)}`, ...reasonLines(step));
  }
  if (workflow.status === 'SUCCEEDED' || workflow.status === 'FAILED' || workflow.status === 'COMPENSATED') {
    lines.push(outcome(workflow, { withFailedStep: false }).trimEnd());
  }
  return `${lines.join('\n')}\n`;
}
