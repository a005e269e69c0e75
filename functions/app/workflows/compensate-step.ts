// One compensation of a saga (SPEC §4.5), invoked by statemachines/saga.asl.json for each item of the plan
// (plan-compensation.ts), one at a time, last succeeded step first: the step SUCCEEDED → COMPENSATED with
// `compensation { order, action, compensatedAt }`, `order` counting the compensations that ran (1, 2, …) so
// the reverse order stays visible on the item.
//
// Exactly once: the update is conditioned on the workflow being RUNNING and the step still SUCCEEDED. A
// retried invocation (the Lambda call timed out after the write, the Map was re-run) finds the step
// COMPENSATED and answers `alreadyCompensated: true` with the order on record, writing nothing. Any other
// refusal is `Trustgate.CompensationFailed`, which the saga retries and, when it persists, ends in FAILED
// `compensation_failed`: a step that cannot be undone must not be reported as compensated.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { GATE_ERROR_NAMES, GateError } from '../gate/gate-errors.ts';
import { FLOW_WORKFLOW_FIELDS } from './flow-input.ts';
import { flowStep, readFlowWorkflow, requireSaga } from './flow-workflow.ts';
import { MAX_WORKFLOW_STEPS } from './start-workflow-request.ts';
import type { StepCompensation, StepState, WorkflowItem } from './workflow-item.ts';

export const CompensateStepInputSchema = z.strictObject({
  ...FLOW_WORKFLOW_FIELDS,
  stepIndex: z
    .int()
    .min(0)
    .max(MAX_WORKFLOW_STEPS - 1),
  /** 1 for the first compensation of the run, 2 for the next, … */
  order: z.int().min(1).max(MAX_WORKFLOW_STEPS),
});

export type CompensateStepInput = z.output<typeof CompensateStepInputSchema>;

export interface CompensateStepOutcome {
  stepIndex: number;
  /** The compensation's order as recorded: a retried invocation answers the first one's. */
  order: number;
  alreadyCompensated: boolean;
}

export interface CompensateStepDependencies {
  client: DynamoDBDocumentClient;
  tables: { workflows: string };
  /** Epoch milliseconds. */
  clock: () => number;
}

// What undoing each step of the `saga` template (workflow-templates.ts) means, in the template's own terms.
const SAGA_TEMPLATE_COMPENSATIONS: Readonly<Record<string, (step: string) => string>> = {
  'reserve-budget': (step) => `released the budget reservation made by step ${step}`,
  process: (step) => `discarded the output of step ${step}`,
  commit: (step) => `reverted the committed entry of step ${step}`,
};

/** A sentence for the record: what undoing the step meant. */
function compensationAction(
  workflow: Pick<WorkflowItem, 'template'>,
  step: Pick<StepState, 'name' | 'intent' | 'resource'>,
): string {
  const templateWords = workflow.template === 'saga' ? SAGA_TEMPLATE_COMPENSATIONS[step.name] : undefined;
  if (templateWords) return templateWords(step.name);
  return `undid ${step.intent} on ${step.resource.type} "${step.resource.id}" of step ${step.name}`;
}

export async function compensateStep(
  deps: CompensateStepDependencies,
  input: CompensateStepInput,
): Promise<CompensateStepOutcome> {
  const workflow = await readFlowWorkflow(deps, input);
  requireSaga(workflow);
  const settled = settledCompensation(workflow, input.stepIndex);
  if (settled) return settled;

  const compensation: StepCompensation = {
    order: input.order,
    action: compensationAction(workflow, flowStep(workflow, input.stepIndex)),
    compensatedAt: new Date(deps.clock()).toISOString(),
  };
  const path = `steps[${input.stepIndex}]`;
  try {
    await deps.client.send(
      new UpdateCommand({
        TableName: deps.tables.workflows,
        Key: { workflowId: input.workflowId },
        UpdateExpression: `SET ${path}.#status = :compensated, ${path}.compensation = :compensation, updatedAt = :updatedAt`,
        ConditionExpression: `tenantId = :tenantId AND #status = :running AND ${path}.#status = :succeeded`,
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':compensated': 'COMPENSATED',
          ':compensation': compensation,
          ':updatedAt': compensation.compensatedAt,
          ':tenantId': input.tenantId,
          ':running': 'RUNNING',
          ':succeeded': 'SUCCEEDED',
        },
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    return refusedCompensation(deps, input);
  }
  return { stepIndex: input.stepIndex, order: input.order, alreadyCompensated: false };
}

/** The condition failed: either a concurrent invocation compensated the step, or it cannot be undone. */
async function refusedCompensation(
  deps: CompensateStepDependencies,
  input: CompensateStepInput,
): Promise<CompensateStepOutcome> {
  const workflow = await readFlowWorkflow(deps, input);
  const settled = settledCompensation(workflow, input.stepIndex);
  if (settled) return settled;
  // The condition failed, yet the item now reads as compensable: it changed in between. Nothing was
  // written, so this is no success; the saga retries.
  throw new GateError(
    GATE_ERROR_NAMES.compensationFailed,
    `step ${input.stepIndex} of workflow "${workflow.workflowId}" changed while it was being compensated`,
  );
}

/**
 * The answer when the step needs no write: already COMPENSATED → its recorded order; cannot be undone →
 * `Trustgate.CompensationFailed` saying why; undefined when the step may be compensated now.
 */
function settledCompensation(workflow: WorkflowItem, stepIndex: number): CompensateStepOutcome | undefined {
  const step = flowStep(workflow, stepIndex);
  if (step.status === 'COMPENSATED') {
    return { stepIndex, order: step.compensation?.order ?? 0, alreadyCompensated: true };
  }
  const why =
    workflow.status !== 'RUNNING'
      ? `workflow "${workflow.workflowId}" is ${workflow.status}, not RUNNING`
      : step.status !== 'SUCCEEDED'
        ? `step "${step.name}" is ${step.status}, not SUCCEEDED`
        : undefined;
  if (why === undefined) return undefined;
  throw new GateError(
    GATE_ERROR_NAMES.compensationFailed,
    `step ${stepIndex} of workflow "${workflow.workflowId}" cannot be compensated: ${why}`,
  );
}
