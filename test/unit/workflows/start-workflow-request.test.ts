import { describe, expect, it } from 'vitest';
import {
  MAX_TASK_TOKENS,
  MAX_WORKFLOW_STEPS,
  startWorkflowBodySchema,
  workflowPlan,
} from '../../../functions/app/workflows/start-workflow-request.ts';
import { countTokens } from '../../../functions/core/budget/tokenizer.ts';
import { ApiError, type FieldError } from '../../../functions/http/api-error.ts';
import { validateInput } from '../../../functions/http/validate-input.ts';

function planOf(body: unknown) {
  return workflowPlan(validateInput(startWorkflowBodySchema(body), body));
}

/** The fields a rejected body names, with their messages. */
function rejectedFields(body: unknown): FieldError[] {
  try {
    planOf(body);
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(400);
    return (error as ApiError).details;
  }
  throw new Error('the body was accepted');
}

const step = (name: string, overrides: Record<string, unknown> = {}) => ({
  name,
  agentId: `${name}-agent`,
  requiredTier: 'T2',
  intent: 'process_data',
  ...overrides,
});

describe('the report template', () => {
  it('expands to research (T3) → analysis (T4) → writing (T2) on the demo fleet', () => {
    const plan = planOf({ template: 'report', input: { task: 'Write report on AI trends' } });

    expect(plan).toEqual({
      template: 'report',
      type: 'sequential',
      input: { task: 'Write report on AI trends' },
      steps: [
        {
          name: 'research',
          agentId: 'research-agent',
          requiredTier: 'T3',
          intent: 'search_web',
          resource: { id: 'web', type: 'web' },
        },
        {
          name: 'analysis',
          agentId: 'analysis-agent',
          requiredTier: 'T4',
          intent: 'process_data',
          resource: { id: 'research-notes', type: 'dataset' },
        },
        {
          name: 'writing',
          agentId: 'writing-agent',
          requiredTier: 'T2',
          intent: 'generate_document',
          resource: { id: 'report', type: 'document' },
        },
      ],
    });
  });

  it('gives every workflow its own copy of the steps', () => {
    const first = planOf({ template: 'report', input: { task: 'a' } });
    first.steps[0]!.resource.id = 'changed';

    expect(planOf({ template: 'report', input: { task: 'b' } }).steps[0]!.resource.id).toBe('web');
  });

  it('keeps input keys beside the task', () => {
    expect(planOf({ template: 'report', input: { task: 'a', audience: 'board' } }).input).toEqual({
      task: 'a',
      audience: 'board',
    });
  });

  it('names an unknown template', () => {
    expect(rejectedFields({ template: 'essay', input: { task: 'a' } })).toEqual([
      { field: 'template', message: 'must be one of report' },
    ]);
  });
});

describe('explicit steps', () => {
  it('are taken as given, with the step itself as the default resource, typed by the action', () => {
    const plan = planOf({
      type: 'sequential',
      input: { task: 'Summarise the quarter' },
      steps: [
        step('collect', { intent: 'search_web', resource: { id: 'intranet', type: 'web' } }),
        step('summarise', { intent: 'generate_document' }),
      ],
    });

    expect(plan.template).toBeUndefined();
    expect(plan.steps.map((s) => s.resource)).toEqual([
      { id: 'intranet', type: 'web' },
      { id: 'summarise', type: 'document' },
    ]);
  });

  it('name every offending field of every step', () => {
    const fields = rejectedFields({
      type: 'sequential',
      input: { task: 'a' },
      steps: [step('one', { requiredTier: 'T9' }), step('two', { intent: 'launch_rockets' })],
    });

    expect(fields.map((f) => f.field)).toEqual(['steps.0.requiredTier', 'steps.1.intent']);
    expect(fields[0]!.message).toBe('must be one of T0, T1, T2, T3, T4, T5');
    expect(fields[1]!.message).toContain('search_web');
  });

  it('refuse a step name used twice, naming the second', () => {
    const fields = rejectedFields({
      type: 'sequential',
      input: { task: 'a' },
      steps: [step('same'), step('same')],
    });

    expect(fields).toEqual([{ field: 'steps.1.name', message: 'step name "same" is used twice' }]);
  });

  it('need between 1 and 20 steps', () => {
    expect(rejectedFields({ type: 'sequential', input: { task: 'a' }, steps: [] })).toEqual([
      { field: 'steps', message: 'at least one step is required' },
    ]);
    const tooMany = Array.from({ length: MAX_WORKFLOW_STEPS + 1 }, (_, i) => step(`s${i}`));
    expect(rejectedFields({ type: 'sequential', input: { task: 'a' }, steps: tooMany })).toEqual([
      { field: 'steps', message: `at most ${MAX_WORKFLOW_STEPS} steps` },
    ]);
    const enough = Array.from({ length: MAX_WORKFLOW_STEPS }, (_, i) => step(`s${i}`));
    expect(planOf({ type: 'sequential', input: { task: 'a' }, steps: enough }).steps).toHaveLength(20);
  });

  it('refuse routing by role for now, saying that it comes with the next issue', () => {
    const fields = rejectedFields({
      type: 'sequential',
      input: { task: 'a' },
      steps: [{ name: 'one', role: 'research', requiredTier: 'T3', intent: 'search_web' }],
    });

    expect(fields.map((f) => f.field).sort()).toEqual(['steps.0.agentId', 'steps.0.role']);
    expect(fields.find((f) => f.field === 'steps.0.role')!.message).toMatch(/next issue/);
  });

  it.each(['parallel', 'saga'])(
    'refuse the %s type for now, saying that it comes with the next issue',
    (type) => {
      const fields = rejectedFields({ type, input: { task: 'a' }, steps: [step('one')] });

      expect(fields).toHaveLength(1);
      expect(fields[0]!.field).toBe('type');
      expect(fields[0]!.message).toMatch(/next issue/);
    },
  );

  it('name a misspelt key instead of ignoring it', () => {
    const fields = rejectedFields({
      type: 'sequential',
      input: { task: 'a' },
      steps: [step('one', { agentld: 'x' })],
    });

    expect(fields).toEqual([{ field: 'steps.0.agentld', message: 'unknown field' }]);
  });
});

describe('the task', () => {
  it('must not be missing or blank', () => {
    expect(rejectedFields({ template: 'report', input: {} }).map((f) => f.field)).toEqual(['input.task']);
    expect(rejectedFields({ template: 'report', input: { task: '  \n ' } })).toEqual([
      { field: 'input.task', message: 'must not be empty' },
    ]);
    expect(rejectedFields({ template: 'report' }).map((f) => f.field)).toEqual(['input']);
  });

  it(`may be ${MAX_TASK_TOKENS} tokens but not one more`, () => {
    // " data" is a single o200k token, so n repetitions are exactly n tokens.
    const atLimit = ' data'.repeat(MAX_TASK_TOKENS);
    expect(countTokens(atLimit)).toBe(MAX_TASK_TOKENS);

    expect(planOf({ template: 'report', input: { task: atLimit } }).input.task).toBe(atLimit);
    expect(rejectedFields({ template: 'report', input: { task: `${atLimit} data` } })).toEqual([
      { field: 'input.task', message: `must be at most ${MAX_TASK_TOKENS} tokens` },
    ]);
  });
});
