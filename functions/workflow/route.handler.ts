// The router of a role-routed step (`Route` in statemachines/gated-step.asl.json). Wiring only: the router
// is functions/app/workflows/route-step.ts. Nobody qualifying on the last attempt is a thrown GateError
// `Trustgate.NoQualifiedAgent`; a payload or step that cannot be routed is `Trustgate.StepInvalid`.
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { parseFlowInput } from '../app/workflows/flow-input.ts';
import { RouteStepInputSchema, routeStep } from '../app/workflows/route-step.ts';
import { documentClient, tableName } from '../data/document-client.ts';
import { observedHandler } from '../observability/observed-handler.ts';
import { logger, metrics } from '../observability/powertools.ts';

const dependencies = {
  client: documentClient(),
  tables: { workflows: tableName('workflows'), agents: tableName('agents') },
  clock: Date.now,
};

export const handler = observedHandler(async (event: unknown) => {
  const input = parseFlowInput(RouteStepInputSchema, event, 'route');
  try {
    const outcome = await routeStep(dependencies, input);
    metrics.addMetric(outcome.queued ? 'StepQueued' : 'StepRouted', MetricUnit.Count, 1);
    logger.info(outcome.queued ? 'step queued' : 'step routed', { ...input, ...outcome });
    return outcome;
  } catch (error) {
    metrics.addMetric('StepRoutingFailed', MetricUnit.Count, 1);
    logger.warn('step routing failed', { ...input, error: error as Error });
    throw error;
  }
});
