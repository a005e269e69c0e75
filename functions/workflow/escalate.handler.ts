// The escalate function, invoked by the gated step's AwaitApproval task (lambda:invoke.waitForTaskToken,
// statemachines/gated-step.asl.json) to open or raise a step's escalation. Wiring only: the logic is
// functions/app/escalations/open-escalation.ts. Failures are GateErrors whose names the state machine
// matches (Trustgate.EscalationTimedOut, Trustgate.EscalationRefused, Trustgate.StepInvalid).
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { ESCALATION_METRICS } from '../app/escalations/escalation-metrics.ts';
import { EscalateInputSchema, escalateStep } from '../app/escalations/open-escalation.ts';
import { GATE_ERROR_NAMES } from '../app/gate/gate-errors.ts';
import { parseFlowInput } from '../app/workflows/flow-input.ts';
import { documentClient, tableName } from '../data/document-client.ts';
import { busAnnouncer } from '../events/bus-publisher.ts';
import { observedHandler } from '../observability/observed-handler.ts';
import { logger, metrics } from '../observability/powertools.ts';

const dependencies = {
  client: documentClient(),
  tables: { workflows: tableName('workflows'), escalations: tableName('escalations') },
  clock: Date.now,
  events: busAnnouncer(),
};

export const handler = observedHandler(async (event: unknown) => {
  const input = parseFlowInput(EscalateInputSchema, event, 'escalate');
  // The task token is a bearer credential for the waiting task: it stays out of the logs.
  const { taskToken: _, ...step } = input;
  try {
    const opened = await escalateStep(dependencies, input);
    metrics.addMetric(
      input.mode === 'open' ? ESCALATION_METRICS.opened : ESCALATION_METRICS.raised,
      MetricUnit.Count,
      1,
    );
    // `level` is a key the Powertools logger reserves for the log level: the escalation's goes as escalationLevel.
    logger.info('escalation pending', {
      ...step,
      escalationId: opened.escalationId,
      escalationLevel: opened.level,
      deadline: opened.deadline,
    });
    return opened;
  } catch (error) {
    metrics.addMetric(ESCALATION_METRICS.failed, MetricUnit.Count, 1);
    // A step denied because no reviewer answered at any level: what the escalation-timeout alarm counts.
    if ((error as Error).name === GATE_ERROR_NAMES.escalationTimedOut)
      metrics.addMetric(ESCALATION_METRICS.timedOut, MetricUnit.Count, 1);
    logger.warn('escalation failed', { ...step, error: error as Error });
    throw error;
  }
});
