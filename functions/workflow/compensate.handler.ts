// Compensate in statemachines/saga.asl.json, once per planned step: the step SUCCEEDED → COMPENSATED, exactly
// once. A step that cannot be undone fails with `Trustgate.CompensationFailed`, which the saga retries.
// Wiring only: functions/app/workflows/compensate-step.ts.
import { CompensateStepInputSchema, compensateStep } from '../app/workflows/compensate-step.ts';
import { parseFlowInput } from '../app/workflows/flow-input.ts';
import { documentClient, tableName } from '../data/document-client.ts';
import { observedHandler } from '../observability/observed-handler.ts';
import { logger } from '../observability/powertools.ts';

const dependencies = {
  client: documentClient(),
  tables: { workflows: tableName('workflows') },
  clock: Date.now,
};

export const handler = observedHandler(async (event: unknown) => {
  const input = parseFlowInput(CompensateStepInputSchema, event, 'compensate');
  try {
    const outcome = await compensateStep(dependencies, input);
    logger.info('step compensated', { workflowId: input.workflowId, ...outcome });
    return outcome;
  } catch (error) {
    logger.warn('compensation failed', { ...input, error: error as Error });
    throw error;
  }
});
