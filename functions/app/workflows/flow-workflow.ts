// The workflow item as the flow functions (route, decompose, record-step-failure, plan-compensation,
// compensate) read it: strongly consistent and scoped to the tenant. A workflow or step the state machine names but that is not there is
// a defect of the execution, reported as `Trustgate.StepInvalid` naming what is missing.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { stepInvalid } from '../gate/gate-errors.ts';
import type { StepState, WorkflowItem } from './workflow-item.ts';
import { getTenantWorkflow } from './workflows-repository.ts';

export async function readFlowWorkflow(
  deps: { client: DynamoDBDocumentClient; tables: { workflows: string } },
  input: { tenantId: string; workflowId: string },
): Promise<WorkflowItem> {
  const workflow = await getTenantWorkflow(
    deps.client,
    deps.tables.workflows,
    input.tenantId,
    input.workflowId,
  );
  if (!workflow) {
    throw stepInvalid(`workflow "${input.workflowId}" does not exist in tenant "${input.tenantId}"`);
  }
  return workflow;
}

export function requireRunning(workflow: WorkflowItem): void {
  if (workflow.status !== 'RUNNING') {
    throw stepInvalid(`workflow "${workflow.workflowId}" is ${workflow.status}, not RUNNING`);
  }
}

/** Only a saga has compensations to plan or run. */
export function requireSaga(workflow: WorkflowItem): void {
  if (workflow.type !== 'saga') {
    throw stepInvalid(
      `workflow "${workflow.workflowId}" is ${workflow.type}, not a saga: it has no compensations`,
    );
  }
}

export function flowStep(workflow: WorkflowItem, stepIndex: number): StepState {
  const step = workflow.steps[stepIndex];
  if (!step) {
    throw stepInvalid(
      `workflow "${workflow.workflowId}" has no step ${stepIndex} (it has ${workflow.steps.length})`,
    );
  }
  return step;
}
