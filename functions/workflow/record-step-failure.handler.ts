// Records a failed step (`StepFailed` in statemachines/gated-step.asl.json) before the flow fails it or
// records a gap. Wiring only: functions/app/workflows/record-step-failure.ts.
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { parseFlowInput } from '../app/workflows/flow-input.ts';
import { RecordStepFailureInputSchema, recordStepFailure } from '../app/workflows/record-step-failure.ts';
import { documentClient, tableName } from '../data/document-client.ts';
import { observedHandler } from '../observability/observed-handler.ts';
import { logger, metrics } from '../observability/powertools.ts';

const dependencies = {
  client: documentClient(),
  tables: { workflows: tableName('workflows') },
  clock: Date.now,
};

export const handler = observedHandler(async (event: unknown) => {
  const input = parseFlowInput(RecordStepFailureInputSchema, event, 'record-step-failure');
  const outcome = await recordStepFailure(dependencies, input);
  metrics.addMetric('StepFailureRecorded', MetricUnit.Count, 1);
  logger.info('step failure recorded', { workflowId: input.workflowId, ...outcome });
  return outcome;
});
