// The gate, once per workflow step (and again after an approval), invoked by the `Gate` state of
// statemachines/gated-step.asl.json, which every flow runs its steps through. Wiring only: the gate itself
// is functions/app/gate/run-gated-step.ts. A failed step is a thrown GateError whose name
// (`Trustgate.StepDenied`, …) becomes the error Step Functions retries or catches.
import { randomBytes } from 'node:crypto';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { GATE_ERROR_NAMES, GateError } from '../app/gate/gate-errors.ts';
import { GateStepInputSchema } from '../app/gate/gate-step-input.ts';
import { runGatedStep } from '../app/gate/run-gated-step.ts';
import { ExtractiveSummarizer } from '../core/budget/extractive-summarizer.ts';
import { UuidV7Generator } from '../core/intents/uuidv7.ts';
import { PolicyStore } from '../core/policy/policy-store.ts';
import { documentClient, tableName } from '../data/document-client.ts';
import { busPublisher } from '../events/bus-publisher.ts';
import { type LambdaContext, observedHandler } from '../observability/observed-handler.ts';
import { logger, metrics } from '../observability/powertools.ts';
import { embedderFromEnvironment } from '../providers/create-embedder.ts';
import { cachedProviderFactory } from '../providers/provider-cache.ts';

const intentIds = new UuidV7Generator({ nowMs: Date.now, randomBytes });

const dependencies = {
  client: documentClient(),
  tables: {
    agents: tableName('agents'),
    intents: tableName('intents'),
    proofs: tableName('proofs'),
    workflows: tableName('workflows'),
    gateState: tableName('gateState'),
  },
  policies: new PolicyStore({ clock: Date.now }),
  providerFor: cachedProviderFactory(),
  clock: Date.now,
  newIntentId: () => intentIds.next(),
  summarizer: new ExtractiveSummarizer(),
  memory: { client: documentClient(), table: tableName('memory'), embedder: embedderFromEnvironment() },
  stage: process.env.STAGE,
  events: busPublisher(),
  onUndeliveredEvents: (error: unknown, events: readonly { eventId: string }[], stepError: unknown) =>
    logger.error('the events of a failed step could not be put', {
      eventIds: events.map((event) => event.eventId),
      error: error as Error,
      stepError: stepError as Error,
    }),
};

export const handler = observedHandler(async (event: unknown, context: LambdaContext) => {
  const input = GateStepInputSchema.safeParse(event);
  if (!input.success) {
    throw new GateError(GATE_ERROR_NAMES.stepInvalid, `invalid gate input: ${input.error.message}`);
  }
  const step = {
    workflowId: input.data.workflowId,
    stepIndex: input.data.stepIndex,
    agentId: input.data.agentId,
  };
  try {
    const outcome = await runGatedStep(dependencies, input.data, {
      remainingTimeMs: () => context.getRemainingTimeInMillis(),
    });
    metrics.addMetric('StepSucceeded', MetricUnit.Count, 1);
    logger.info('step succeeded', { ...outcome });
    return outcome;
  } catch (error) {
    metrics.addMetric('StepFailed', MetricUnit.Count, 1);
    logger.warn('step failed', { ...step, error: error as Error });
    throw error;
  }
});
