import { AwsServiceError, SANDBOX_ACCOUNT_ID } from '../contracts.ts';

// Names of state machines and executions: 1-80 characters, no whitespace, brackets, wildcards,
// special characters or control characters (the rule CreateStateMachine/StartExecution apply).
const VALID_NAME_CHARACTERS = /^[^\s<>{}[\]?*"#%\\^|~`$&,;:/]{1,80}$/;

export function assertValidName(name: unknown, what: string): asserts name is string {
  if (typeof name !== 'string' || !VALID_NAME_CHARACTERS.test(name) || hasControlCharacter(name)) {
    throw new AwsServiceError('InvalidName', `Invalid ${what} name: '${String(name)}'`);
  }
}

function hasControlCharacter(text: string): boolean {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return true;
  }
  return false;
}

export function stateMachineArn(region: string, name: string): string {
  return `arn:aws:states:${region}:${SANDBOX_ACCOUNT_ID}:stateMachine:${name}`;
}

export function executionArn(region: string, stateMachineName: string, executionName: string): string {
  return `arn:aws:states:${region}:${SANDBOX_ACCOUNT_ID}:execution:${stateMachineName}:${executionName}`;
}

/** Reads a required ARN parameter, rejecting what is not an ARN of the expected resource type. */
export function requireArn(input: Record<string, unknown>, field: string, resourceType: string): string {
  const arn = input[field];
  if (typeof arn !== 'string' || arn.length === 0) {
    throw new AwsServiceError(
      'ValidationException',
      `1 validation error detected: '${field}' must not be null`,
    );
  }
  const parts = arn.split(':');
  if (parts.length < 7 || parts[0] !== 'arn' || parts[2] !== 'states' || parts[5] !== resourceType) {
    throw new AwsServiceError('InvalidArn', `Invalid Arn: '${arn}'`);
  }
  return arn;
}
