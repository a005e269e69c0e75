// The end of every flow (Finish / Aggregate, RecordFailure, RecordCompensated in statemachines/): seals the
// proofs and records SUCCEEDED, FAILED or COMPENSATED. Wiring only: functions/app/workflows/finish-workflow.ts.
import { FinishWorkflowInputSchema, finishWorkflow } from '../app/workflows/finish-workflow.ts';
import { parseFlowInput } from '../app/workflows/flow-input.ts';
import { documentClient, tableName } from '../data/document-client.ts';
import { busAnnouncer } from '../events/bus-publisher.ts';
import { observedHandler } from '../observability/observed-handler.ts';
import { logger } from '../observability/powertools.ts';

const dependencies = {
  client: documentClient(),
  tables: {
    workflows: tableName('workflows'),
    proofs: tableName('proofs'),
    gateState: tableName('gateState'),
  },
  clock: Date.now,
  events: busAnnouncer(),
};

export const handler = observedHandler(async (event: unknown) => {
  const input = parseFlowInput(FinishWorkflowInputSchema, event, 'finish');
  const outcome = await finishWorkflow(dependencies, input);
  logger.info('workflow finished', { ...outcome });
  return outcome;
});
