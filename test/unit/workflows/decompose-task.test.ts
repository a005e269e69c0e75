import { describe, expect, it } from 'vitest';
import {
  type DecomposableStep,
  decomposeTask,
  focusLine,
  SUBTASK_TRUNCATION_NOTICE,
  taskLines,
} from '../../../functions/app/workflows/decompose-task.ts';
import { MAX_TASK_TOKENS } from '../../../functions/app/workflows/start-workflow-request.ts';
import { countTokens } from '../../../functions/core/budget/tokenizer.ts';

// The `parallel` template's steps.
const STEPS: readonly DecomposableStep[] = [
  { name: 'market', intent: 'search_web', resource: { id: 'market', type: 'topic' } },
  { name: 'figures', intent: 'process_data', resource: { id: 'figures', type: 'dataset' } },
  { name: 'risks', intent: 'review_document', resource: { id: 'risks', type: 'document' } },
];

describe('decomposeTask', () => {
  it('uses the given subtasks, one per step, in step order', () => {
    const subtasks = ['Size the market', 'Compute the growth figures', 'List the risks'];
    expect(decomposeTask('Assess the EV charging market', STEPS, subtasks)).toEqual(subtasks);
  });

  it('prefers the given subtasks even when the task lines would match the steps', () => {
    const task = '- one\n- two\n- three';
    expect(decomposeTask(task, STEPS, ['a', 'b', 'c'])).toEqual(['a', 'b', 'c']);
  });

  it('refuses subtasks that are not one per step', () => {
    expect(() => decomposeTask('task', STEPS, ['a', 'b'])).toThrow(/2 subtasks for 3 steps/);
  });

  it('gives step i line i when the task has one non-empty line per step, list markers stripped', () => {
    const task = '\n- Size the market\n\n* Compute the growth figures  \n  3. List the risks\n';
    expect(decomposeTask(task, STEPS)).toEqual([
      'Size the market',
      'Compute the growth figures',
      'List the risks',
    ]);
  });

  it('strips numbered markers with ")" and "+" bullets, and keeps text that only starts like a marker', () => {
    expect(taskLines('1) first\n+ second\n-third\n2.5 million units')).toEqual([
      'first',
      'second',
      '-third',
      '2.5 million units',
    ]);
  });

  it('does not count a line holding only a list marker', () => {
    const task = 'Size the market\n-\nCompute the growth figures\n*\nList the risks';
    expect(decomposeTask(task, STEPS)).toEqual([
      'Size the market',
      'Compute the growth figures',
      'List the risks',
    ]);
  });

  it('gives every step the whole task and its focus line when the lines do not match the steps', () => {
    const task = 'Assess the EV charging market.\nCover size and risks.';
    expect(decomposeTask(task, STEPS)).toEqual([
      `${task}\n\nYour part: market — search_web on topic "market".`,
      `${task}\n\nYour part: figures — process_data on dataset "figures".`,
      `${task}\n\nYour part: risks — review_document on document "risks".`,
    ]);
  });

  it('cuts the task tail at a token boundary, and says so, when the focus line would exceed the budget', () => {
    // Exactly at the bound alone, so only the focus line pushes it over.
    const task = longTask(MAX_TASK_TOKENS);
    expect(countTokens(task)).toBe(MAX_TASK_TOKENS);

    const subtasks = decomposeTask(task, STEPS);

    subtasks.forEach((subtask, index) => {
      expect(countTokens(subtask)).toBeLessThanOrEqual(MAX_TASK_TOKENS);
      const suffix = `\n${SUBTASK_TRUNCATION_NOTICE}\n\n${focusLine(STEPS[index]!)}`;
      expect(subtask.endsWith(suffix)).toBe(true);
      const kept = subtask.slice(0, -suffix.length);
      expect(task.startsWith(kept)).toBe(true);
      // Only as much is cut as the notice and the focus line need.
      expect(countTokens(kept)).toBeGreaterThan(MAX_TASK_TOKENS - countTokens(suffix) - 5);
    });
  });

  it('keeps a task just under the bound whole when the focus line still fits', () => {
    const focusTokens = Math.max(...STEPS.map((step) => countTokens(`\n\n${focusLine(step)}`)));
    const task = longTask(200 - focusTokens - 2);
    expect(decomposeTask(task, STEPS, undefined, 200)).toEqual(
      STEPS.map((step) => `${task}\n\n${focusLine(step)}`),
    );
  });

  it('bounds given subtasks too', () => {
    const subtasks = decomposeTask('task', STEPS.slice(0, 1), [longTask(300)], 100);
    expect(countTokens(subtasks[0]!)).toBeLessThanOrEqual(100);
    expect(subtasks[0]!.endsWith(`\n${SUBTASK_TRUNCATION_NOTICE}`)).toBe(true);
  });
});

/** A single-line text of exactly `tokens` tokens: "Assess" and each " market" / " growth" are one token each. */
function longTask(tokens: number): string {
  const words = Array.from({ length: tokens - 1 }, (_, i) => (i % 2 === 0 ? ' market' : ' growth'));
  const text = `Assess${words.join('')}`;
  if (countTokens(text) !== tokens) throw new Error(`the filler is not ${tokens} tokens long`);
  return text;
}
