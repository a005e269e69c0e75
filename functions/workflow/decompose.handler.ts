// The decomposer of a parallel workflow (`Decompose` in statemachines/parallel-fanout.asl.json). Wiring
// only: functions/app/workflows/decompose-workflow.ts.
import { DecomposeWorkflowInputSchema, decomposeWorkflow } from '../app/workflows/decompose-workflow.ts';
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
  const input = parseFlowInput(DecomposeWorkflowInputSchema, event, 'decompose');
  try {
    const outcome = await decomposeWorkflow(dependencies, input);
    logger.info('workflow decomposed', { ...input, ...outcome });
    return outcome;
  } catch (error) {
    logger.warn('workflow decomposition failed', { ...input, error: error as Error });
    throw error;
  }
});
