// trustgate run "<task>" [--template <name> | --steps <file>] [--type <type>] [--preference cost|quality]
//                        [--timeout <seconds>]
// Starts a workflow (POST /v1/workflows), follows it live (workflow-progress.ts) and prints the outcome: the
// result when it SUCCEEDED (exit 0), else the failed step and why (exit 1: FAILED, COMPENSATED, or not ended
// within the timeout). With --json, stdout is the final workflow view alone.
import { readFileSync } from 'node:fs';
import type { WorkflowView } from '../../functions/app/workflows/workflow-view.ts';
import { EXIT, UsageError } from '../cli-errors.ts';
import type { CommandContext } from '../command-context.ts';
import { milliseconds, reasonLines, stepLine, stepTokens } from '../format.ts';
import { pollUntilEnded, progressPrinter } from '../workflow-progress.ts';

export interface RunOptions {
  template?: string;
  steps?: string;
  type?: string;
  preference?: string;
  timeout: number;
}

export const DEFAULT_TEMPLATE = 'report';
export const DEFAULT_TIMEOUT_SECONDS = 600;

/** The POST /v1/workflows body the options ask for. */
export function workflowRequest(task: string, options: RunOptions): Record<string, unknown> {
  if (task.trim() === '') throw new UsageError('the task must not be empty');
  if (options.steps !== undefined && options.template !== undefined) {
    throw new UsageError(
      '--template and --steps exclude each other: a workflow is a template or explicit steps',
    );
  }
  if (options.type !== undefined && options.steps === undefined) {
    throw new UsageError('--type applies to --steps only (a template has its own type)');
  }
  const common = {
    input: { task },
    ...(options.preference === undefined ? {} : { preference: options.preference }),
  };
  if (options.steps === undefined) return { template: options.template ?? DEFAULT_TEMPLATE, ...common };
  return { type: options.type ?? 'sequential', ...common, steps: readSteps(options.steps) };
}

/** `--steps <file>`: a JSON array of steps as POST /v1/workflows takes them (the API validates each). */
function readSteps(file: string): unknown[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`--steps: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? error})`);
  }
  let steps: unknown;
  try {
    steps = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--steps: ${file} is not JSON (${(error as Error).message})`);
  }
  if (!Array.isArray(steps) || steps.length === 0) {
    throw new UsageError(`--steps: ${file} must hold a non-empty JSON array of steps`);
  }
  return steps;
}

export async function runWorkflow(ctx: CommandContext, task: string, options: RunOptions): Promise<number> {
  const body = workflowRequest(task, options);
  const api = ctx.api();
  const { workflowId } = await api.post<{ workflowId: string }>('/v1/workflows', body);
  const what = body.template
    ? `template ${body.template}`
    : `${body.type}, ${(body.steps as unknown[]).length} steps`;
  ctx.say(`workflow ${workflowId} (${what}): ${task}`);
  const print = progressPrinter((line) => ctx.say(line));
  const { workflow, ended } = await pollUntilEnded(api, ctx.io, workflowId, {
    timeoutMs: options.timeout * 1000,
    onRead: ctx.json ? undefined : print,
  });
  if (!ended) {
    ctx.result(workflow, () => '');
    ctx.io.err(
      `trustgate: workflow ${workflowId} is still ${workflow.status} after ${options.timeout} s; follow it with: trustgate workflows show ${workflowId}\n`,
    );
    return EXIT.notSucceeded;
  }
  ctx.result(workflow, () => outcome(workflow));
  return workflow.status === 'SUCCEEDED' ? EXIT.ok : EXIT.notSucceeded;
}

/** The end of a run: status, totals, and the result or what failed (with the failed step, unless shown). */
export function outcome(
  workflow: WorkflowView,
  options: { withFailedStep: boolean } = { withFailedStep: true },
): string {
  const tokens = workflow.steps.reduce((sum, step) => sum + (stepTokens(step) ?? 0), 0);
  const elapsed = Date.parse(workflow.updatedAt) - Date.parse(workflow.createdAt);
  const lines = [
    '',
    `${workflow.status} · ${workflow.steps.length} step${workflow.steps.length === 1 ? '' : 's'} · ${tokens} tokens${Number.isFinite(elapsed) ? ` · ${milliseconds(elapsed)}` : ''}`,
  ];
  if (workflow.error) {
    const where = workflow.error.step ? ` at step ${workflow.error.step}` : '';
    lines.push(`${workflow.error.code}${where}: ${workflow.error.message}`);
    const failed = workflow.steps.find((step) => step.name === workflow.error!.step);
    if (failed && options.withFailedStep) {
      lines.push(`  ${stepLine(failed)}`, ...reasonLines(failed, '    '));
    }
  }
  if (workflow.gaps?.length) lines.push(`gaps: ${workflow.gaps.join(', ')}`);
  if (workflow.degradedSteps.length) lines.push(`degraded steps: ${workflow.degradedSteps.join(', ')}`);
  if (workflow.status === 'SUCCEEDED' && workflow.result !== null) lines.push('', workflow.result);
  return `${lines.join('\n')}\n`;
}
