// What the state machine hands the gate for one step (statemachines/gated-step.asl.json, `Gate`).
// `agentId` travels with the index — copied from the workflow item when it started, or assigned by the
// router for a role-routed step — so the gate can read the agent in the same BatchGetItem as the workflow;
// the gate still checks it against the stored step, so it cannot point a step at another agent.
import { z } from 'zod';
import { FLOW_WORKFLOW_FIELDS } from '../workflows/flow-input.ts';
import { MAX_WORKFLOW_STEPS } from '../workflows/start-workflow-request.ts';

export const GateStepInputSchema = z.strictObject({
  ...FLOW_WORKFLOW_FIELDS,
  stepIndex: z
    .int()
    .min(0)
    .max(MAX_WORKFLOW_STEPS - 1),
  agentId: z.string().min(1).max(128),
});

export type GateStepInput = z.output<typeof GateStepInputSchema>;
