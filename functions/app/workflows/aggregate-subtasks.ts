// The aggregator of a parallel workflow (SPEC §4.2): combines the sub-tasks' outputs into the one result
// the caller reads, in step order, each under `## <step name>`. A sub-task that failed keeps its place as
// a visible gap, `[gap: <code>: <message>]`, so the reader sees what is missing and why instead of a
// silently shorter report; a sub-task that never reached an end (neither SUCCEEDED nor FAILED) is a gap
// too, with code `not_run`. With no sub-task succeeded there is nothing to combine: the workflow fails.
import type { StepFailure, StepState, WorkflowError } from './workflow-item.ts';

export type SubtaskAggregate =
  | { outcome: 'aggregated'; result: string; gaps: string[] }
  | { outcome: 'all_failed'; error: WorkflowError };

const ALL_SUBTASKS_FAILED = 'all_subtasks_failed';
const SUBTASK_NOT_RUN = 'not_run';

type AggregatedStep = Pick<StepState, 'name' | 'status' | 'output' | 'error'>;

export function aggregateSubtasks(steps: readonly AggregatedStep[]): SubtaskAggregate {
  const sections: string[] = [];
  const gaps: { name: string; failure: StepFailure }[] = [];
  for (const step of steps) {
    if (step.status === 'SUCCEEDED') {
      sections.push(`## ${step.name}\n${step.output ?? ''}`);
    } else {
      const failure = subtaskFailure(step);
      gaps.push({ name: step.name, failure });
      sections.push(`## ${step.name}\n[gap: ${failure.code}: ${failure.message}]`);
    }
  }
  if (gaps.length === steps.length) {
    const failures = gaps.map(({ name, failure }) => `${name} (${failure.code}: ${failure.message})`);
    return {
      outcome: 'all_failed',
      error: {
        code: ALL_SUBTASKS_FAILED,
        message: `no sub-task succeeded: ${failures.join('; ') || 'the workflow has no sub-tasks'}`,
      },
    };
  }
  return { outcome: 'aggregated', result: sections.join('\n\n'), gaps: gaps.map(({ name }) => name) };
}

function subtaskFailure(step: AggregatedStep): StepFailure {
  if (step.status !== 'FAILED') {
    return { code: SUBTASK_NOT_RUN, message: `the sub-task did not run to an end (status ${step.status})` };
  }
  // record-step-failure writes the error with the status; a FAILED step without one was marked by an
  // older finish, which recorded the error on the workflow only.
  return step.error ?? { code: 'step_failed', message: 'no error was recorded for the sub-task' };
}
