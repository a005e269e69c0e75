// Validation of what the state machine hands a flow function. A payload that does not match is a defect of
// the flow definition, not of the caller's request, so it fails the step as `Trustgate.StepInvalid` with
// every offending field named, rather than as a bare ZodError the Catch could not tell apart.
import type { z } from 'zod';
import { GATE_ERROR_NAMES, GateError } from '../gate/gate-errors.ts';

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
  throw new GateError(GATE_ERROR_NAMES.stepInvalid, `invalid ${functionName} input: ${problems.join('; ')}`);
}
