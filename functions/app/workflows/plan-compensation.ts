// The saga's compensation plan (SPEC §4.5), invoked by statemachines/saga.asl.json (PlanCompensation) when a
// step failed: which steps to undo, in which order. The steps that SUCCEEDED are undone last first, so a
// failure at step 3 (index 2) gives [{ index: 1 }, { index: 0 }]; the failed step itself produced nothing
// to undo, and steps after it never ran. Reads only: the Map that follows runs compensate over the plan,
// and compensate's own condition (step still SUCCEEDED) makes a repeated plan harmless.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { FLOW_WORKFLOW_FIELDS } from './flow-input.ts';
import { readFlowWorkflow, requireSaga } from './flow-workflow.ts';
import { failedStepIndex } from './workflow-error.ts';
import type { WorkflowItem } from './workflow-item.ts';

export const PlanCompensationInputSchema = z.strictObject(FLOW_WORKFLOW_FIELDS);

export type PlanCompensationInput = z.output<typeof PlanCompensationInputSchema>;

export interface CompensationPlan {
  /** The name of the step the saga failed at; null when the failure came after every step. */
  failedStep: string | null;
  /** The steps to undo, in the order to undo them. */
  steps: { index: number }[];
}

export interface PlanCompensationDependencies {
  client: DynamoDBDocumentClient;
  tables: { workflows: string };
}

export async function planCompensation(
  deps: PlanCompensationDependencies,
  input: PlanCompensationInput,
): Promise<CompensationPlan> {
  const workflow = await readFlowWorkflow(deps, input);
  requireSaga(workflow);
  return compensationPlan(workflow);
}

/** The plan for the workflow as read (pure). */
function compensationPlan(workflow: Pick<WorkflowItem, 'steps'>): CompensationPlan {
  const failedIndex = failedStepIndex(workflow.steps);
  const succeeded = workflow.steps.flatMap((step, index) => (step.status === 'SUCCEEDED' ? [{ index }] : []));
  return {
    failedStep: failedIndex < 0 ? null : workflow.steps[failedIndex]!.name,
    steps: succeeded.reverse(),
  };
}
