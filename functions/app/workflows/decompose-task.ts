// How a parallel workflow's task is shared out among its steps (docs/backend.md "Functions of the flows",
// decompose). Sub-task i is
//   1. input.subtasks[i], when the caller gave one per step;
//   2. else line i of the task, when the task has exactly as many non-empty lines as there are steps once
//      list markers ("-", "*", "+", "•", "1.", "1)") are stripped: a list of parts, one per step;
//   3. else the whole task with the step's focus appended:
//        Your part: <name> — <intent> on <resource.type> "<resource.id>".
// Each sub-task is one agent's request, so it stays within the request budget (SPEC §7, 8K tokens). A task
// already near the bound could be pushed over it by the focus line: then the task's tail is cut at a token
// boundary and the sub-task says so, since an agent that silently got part of the task would answer as if
// it had all of it.
import { countTokens, truncateToTokens } from '../../core/budget/tokenizer.ts';
import { MAX_TASK_TOKENS } from './start-workflow-request.ts';
import type { StepDefinition } from './workflow-item.ts';

export const SUBTASK_TRUNCATION_NOTICE = '[task truncated to fit the sub-task budget]';

export type DecomposableStep = Pick<StepDefinition, 'name' | 'intent' | 'resource'>;

// An item marker followed by whitespace, or a marker alone on its line (then the line counts as empty).
const LIST_MARKER = /^(?:[-*+•]|\d+[.)])(?:\s+|$)/u;

export function decomposeTask(
  task: string,
  steps: readonly DecomposableStep[],
  subtasks?: readonly string[],
  maxTokens: number = MAX_TASK_TOKENS,
): string[] {
  if (subtasks !== undefined) {
    if (subtasks.length !== steps.length) {
      throw new RangeError(
        `${subtasks.length} subtasks for ${steps.length} steps: there must be one per step`,
      );
    }
    return subtasks.map((subtask) => withinBudget(subtask, '', maxTokens));
  }
  const lines = taskLines(task);
  if (lines.length === steps.length) return lines.map((line) => withinBudget(line, '', maxTokens));
  return steps.map((step) => withinBudget(task, `\n\n${focusLine(step)}`, maxTokens));
}

/** The task's non-empty lines, list markers and surrounding whitespace removed. */
export function taskLines(task: string): string[] {
  return task
    .split(/\r?\n/u)
    .map((line) => line.trim().replace(LIST_MARKER, '').trim())
    .filter((line) => line !== '');
}

export function focusLine(step: DecomposableStep): string {
  return `Your part: ${step.name} — ${step.intent} on ${step.resource.type} "${step.resource.id}".`;
}

/**
 * `text` + `suffix` when that fits in maxTokens; else the longest token-boundary prefix of `text` that
 * fits together with the truncation notice and the suffix. Tokens of a concatenation are not always the
 * sum of the parts' tokens (BPE merges across the seam), so the whole result is counted and the prefix
 * shortened until it fits.
 */
function withinBudget(text: string, suffix: string, maxTokens: number): string {
  const whole = `${text}${suffix}`;
  if (countTokens(whole) <= maxTokens) return whole;
  const tail = `\n${SUBTASK_TRUNCATION_NOTICE}${suffix}`;
  for (let budget = maxTokens - countTokens(tail); budget > 0; budget--) {
    const cut = `${truncateToTokens(text, budget)}${tail}`;
    if (countTokens(cut) <= maxTokens) return cut;
  }
  throw new RangeError(`a sub-task budget of ${maxTokens} tokens leaves no room for any of the task`);
}
