// PlanCompensation in statemachines/saga.asl.json: after a step failed, the succeeded steps to undo, last
// first. Reads only. Wiring only: functions/app/workflows/plan-compensation.ts.
import { parseFlowInput } from '../app/workflows/flow-input.ts';
import { PlanCompensationInputSchema, planCompensation } from '../app/workflows/plan-compensation.ts';
import { documentClient, tableName } from '../data/document-client.ts';
import { observedHandler } from '../observability/observed-handler.ts';
import { logger } from '../observability/powertools.ts';

const dependencies = {
  client: documentClient(),
  tables: { workflows: tableName('workflows') },
};

export const handler = observedHandler(async (event: unknown) => {
  const input = parseFlowInput(PlanCompensationInputSchema, event, 'plan-compensation');
  const plan = await planCompensation(dependencies, input);
  logger.info('compensation planned', { workflowId: input.workflowId, ...plan });
  return plan;
});
