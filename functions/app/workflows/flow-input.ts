// Validation of what the state machine hands a flow function. A payload that does not match is a defect of
// the flow definition, not of the caller's request, so it fails the step as `Trustgate.StepInvalid` with
// every offending field named, rather than as a bare ZodError the Catch could not tell apart.
import { z } from 'zod';
import { stepInvalid } from '../gate/gate-errors.ts';

/** The fields every flow function's payload starts with: which workflow, of which tenant. */
export const FLOW_WORKFLOW_FIELDS = {
  workflowId: z.string().min(1).max(128),
  tenantId: z.string().min(1).max(64),
};

export function parseFlowInput<Schema extends z.ZodType>(
  schema: Schema,
  event: unknown,
  functionName: string,
): z.output<Schema> {
  const parsed = schema.safeParse(event);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map(
    (issue) => `${issue.path.length === 0 ? '(input)' : issue.path.join('.')}: ${issue.message}`,
  );
  throw stepInvalid(`invalid ${functionName} input: ${problems.join('; ')}`);
}
