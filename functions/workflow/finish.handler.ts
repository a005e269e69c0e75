// The end of the sequential workflow (Finish / RecordFailure in statemachines/sequential-pipeline.asl.json):
// seals the proofs and records SUCCEEDED or FAILED. Wiring only: functions/app/workflows/finish-workflow.ts.
import { FinishWorkflowInputSchema, finishWorkflow } from '../app/workflows/finish-workflow.ts';
import { documentClient, tableName } from '../data/document-client.ts';
import { observedHandler } from '../observability/observed-handler.ts';
import { logger } from '../observability/powertools.ts';

const dependencies = {
  client: documentClient(),
  tables: { workflows: tableName('workflows'), proofs: tableName('proofs') },
  clock: Date.now,
};

export const handler = observedHandler(async (event: unknown) => {
  const outcome = await finishWorkflow(dependencies, FinishWorkflowInputSchema.parse(event));
  logger.info('workflow finished', { ...outcome });
  return outcome;
});
