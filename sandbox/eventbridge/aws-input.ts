// Reading operation inputs the way AWS validates them, with AWS's ValidationException wording.

import { AwsServiceError } from '../contracts.ts';

export function validationError(message: string): AwsServiceError {
  return new AwsServiceError('ValidationException', message);
}

/** AWS names members in validation messages in camelCase: `EventBusName` → `eventBusName`. */
function memberName(key: string): string {
  return key.charAt(0).toLowerCase() + key.slice(1);
}

export function optionalString(input: Record<string, unknown>, key: string): string | undefined {
  const value = input[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    throw validationError(`1 validation error detected: Value at '${memberName(key)}' must be a string`);
  }
  return value;
}

export function requiredString(input: Record<string, unknown>, key: string): string {
  const value = optionalString(input, key);
  if (value === undefined) {
    throw validationError(
      `1 validation error detected: Value null at '${memberName(key)}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return value;
}

export function requireNamePattern(key: string, value: string, pattern: RegExp, maxLength: number): void {
  if (value.length < 1 || value.length > maxLength) {
    throw validationError(
      `1 validation error detected: Value '${value}' at '${memberName(key)}' failed to satisfy constraint: Member must have length between 1 and ${maxLength}`,
    );
  }
  if (!pattern.test(value)) {
    throw validationError(
      `1 validation error detected: Value '${value}' at '${memberName(key)}' failed to satisfy constraint: Member must satisfy regular expression pattern: ${pattern.source.replace(/^\^|\$$/g, '')}`,
    );
  }
}

function optionalArray(input: Record<string, unknown>, key: string): unknown[] | undefined {
  const value = input[key];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) {
    throw validationError(`1 validation error detected: Value at '${memberName(key)}' must be a list`);
  }
  return value;
}

export function requiredArray(
  input: Record<string, unknown>,
  key: string,
  min: number,
  max: number,
): unknown[] {
  const value = optionalArray(input, key);
  if (value === undefined) {
    throw validationError(
      `1 validation error detected: Value null at '${memberName(key)}' failed to satisfy constraint: Member must not be null`,
    );
  }
  if (value.length < min || value.length > max) {
    throw validationError(
      `1 validation error detected: Value at '${memberName(key)}' failed to satisfy constraint: Member must have length between ${min} and ${max}`,
    );
  }
  return value;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
