import { describe, expect, it } from 'vitest';
import { aggregateSubtasks } from '../../../functions/app/workflows/aggregate-subtasks.ts';
import type { StepState } from '../../../functions/app/workflows/workflow-item.ts';

type Subtask = Pick<StepState, 'name' | 'status' | 'output' | 'error'>;

const succeeded = (name: string, output: string): Subtask => ({ name, status: 'SUCCEEDED', output });
const failed = (name: string, code: string, message: string): Subtask => ({
  name,
  status: 'FAILED',
  error: { code, message },
});

describe('aggregateSubtasks', () => {
  it('puts every output under its step name, in step order, separated by a blank line', () => {
    const aggregate = aggregateSubtasks([
      succeeded('market', 'Demand grows 12% a year.'),
      succeeded('figures', 'Revenue: 4.2M\nMargin: 18%'),
      succeeded('risks', 'Supplier concentration.'),
    ]);

    expect(aggregate).toEqual({
      outcome: 'aggregated',
      result:
        '## market\nDemand grows 12% a year.\n\n## figures\nRevenue: 4.2M\nMargin: 18%\n\n## risks\nSupplier concentration.',
      gaps: [],
    });
  });

  it('keeps a failed sub-task in its place as a gap with its error, and names it in gaps', () => {
    const aggregate = aggregateSubtasks([
      succeeded('market', 'Demand grows.'),
      failed('figures', 'provider_failed', 'the local provider timed out'),
      succeeded('risks', 'Supplier concentration.'),
    ]);

    expect(aggregate).toEqual({
      outcome: 'aggregated',
      result:
        '## market\nDemand grows.\n\n## figures\n[gap: provider_failed: the local provider timed out]\n\n## risks\nSupplier concentration.',
      gaps: ['figures'],
    });
  });

  it('counts a sub-task that never reached an end as a not_run gap', () => {
    const aggregate = aggregateSubtasks([
      { name: 'market', status: 'QUEUED' },
      succeeded('figures', 'Revenue: 4.2M'),
    ]);

    expect(aggregate).toEqual({
      outcome: 'aggregated',
      result:
        '## market\n[gap: not_run: the sub-task did not run to an end (status QUEUED)]\n\n## figures\nRevenue: 4.2M',
      gaps: ['market'],
    });
  });

  it('fails with all_subtasks_failed, listing each failure, when no sub-task succeeded', () => {
    const aggregate = aggregateSubtasks([
      failed('market', 'step_denied', 'agent "x" does not declare "search_web"'),
      { name: 'figures', status: 'PENDING' },
    ]);

    expect(aggregate).toEqual({
      outcome: 'all_failed',
      error: {
        code: 'all_subtasks_failed',
        message:
          'no sub-task succeeded: market (step_denied: agent "x" does not declare "search_web"); figures (not_run: the sub-task did not run to an end (status PENDING))',
      },
    });
  });

  it('shows a FAILED sub-task without a recorded error as a gap all the same', () => {
    const aggregate = aggregateSubtasks([succeeded('market', 'ok'), { name: 'risks', status: 'FAILED' }]);

    expect(aggregate).toMatchObject({
      outcome: 'aggregated',
      result: '## market\nok\n\n## risks\n[gap: step_failed: no error was recorded for the sub-task]',
      gaps: ['risks'],
    });
  });
});
