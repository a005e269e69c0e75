// PutTargets, RemoveTargets, ListTargetsByRule.

import { AwsServiceError } from '../contracts.ts';
import {
  isRecord,
  optionalString,
  requiredArray,
  requiredString,
  requireNamePattern,
  validationError,
} from './aws-input.ts';
import { targetKind } from './delivery/target-kind.ts';
import { compileJsonPath } from './json-path.ts';
import type { OperationContext } from './operation-context.ts';
import { paginate } from './pagination.ts';
import { requireRuleFromInput } from './rule-operations.ts';
import type { TargetRecord } from './state.ts';

const TARGET_ID_PATTERN = /^[.\-_A-Za-z0-9]+$/;
const VARIABLE_NAME_PATTERN = /^[A-Za-z0-9_-]+$/;
/** AWS's quota of targets per rule. */
const MAX_TARGETS_PER_RULE = 5;

export function putTargets(context: OperationContext, input: Record<string, unknown>): unknown {
  const rule = requireRuleFromInput(context, input, 'Rule');
  const targets = requiredArray(input, 'Targets', 1, 10).map(readTarget);
  const ids = new Set([...rule.targets.keys(), ...targets.map((target) => target.Id)]);
  if (ids.size > MAX_TARGETS_PER_RULE) {
    throw new AwsServiceError(
      'LimitExceededException',
      'The requested resource exceeds the maximum number allowed.',
    );
  }
  for (const target of targets) rule.targets.set(target.Id, target);
  return { FailedEntryCount: 0, FailedEntries: [] };
}

export function removeTargets(context: OperationContext, input: Record<string, unknown>): unknown {
  const rule = requireRuleFromInput(context, input, 'Rule');
  for (const id of requiredArray(input, 'Ids', 1, 100)) {
    if (typeof id === 'string') rule.targets.delete(id);
  }
  return { FailedEntryCount: 0, FailedEntries: [] };
}

export function listTargetsByRule(context: OperationContext, input: Record<string, unknown>): unknown {
  const rule = requireRuleFromInput(context, input, 'Rule');
  const { page, NextToken } = paginate([...rule.targets.values()], input);
  return { Targets: page, ...(NextToken ? { NextToken } : {}) };
}

function readTarget(entry: unknown): TargetRecord {
  if (!isRecord(entry)) throw validationError('Each target must be an object.');
  const id = requiredString(entry, 'Id');
  requireNamePattern('Id', id, TARGET_ID_PATTERN, 64);
  const arn = requiredString(entry, 'Arn');
  const kind = targetKind(arn);
  if (kind === undefined) {
    throw validationError(
      `Target ${id}: the sandbox delivers to SQS queues, Step Functions state machines and Lambda functions only, not to ${arn}.`,
    );
  }
  const inputSettings = ['Input', 'InputPath', 'InputTransformer'].filter((key) => entry[key] !== undefined);
  if (inputSettings.length > 1) {
    throw validationError('Only one of Input, InputPath, or InputTransformer must be provided.');
  }
  const constantInput = optionalString(entry, 'Input');
  if (constantInput !== undefined && !isJson(constantInput)) {
    throw validationError(`Parameter Input is not valid: target ${id}'s Input is not valid JSON.`);
  }
  const inputPath = optionalString(entry, 'InputPath');
  if (inputPath !== undefined) requireJsonPath(inputPath, 'InputPath');
  if (entry.InputTransformer !== undefined) readInputTransformer(entry.InputTransformer);
  if (kind.service === 'sqs' && kind.fifo) {
    const groupId = isRecord(entry.SqsParameters) ? entry.SqsParameters.MessageGroupId : undefined;
    if (typeof groupId !== 'string') {
      throw validationError(`Parameter(s) SqsParameters must be specified for target: ${id}.`);
    }
  }
  return entry as TargetRecord;
}

function readInputTransformer(value: unknown): void {
  if (!isRecord(value)) throw validationError('InputTransformer must be an object.');
  const template = requiredString(value, 'InputTemplate');
  if (template.length > 8192) throw validationError('InputTemplate must be at most 8192 characters.');
  const paths = value.InputPathsMap ?? {};
  if (!isRecord(paths)) throw validationError('InputPathsMap must be a map of variable names to JSON paths.');
  const entries = Object.entries(paths);
  if (entries.length > 100) throw validationError('InputPathsMap must have at most 100 variables.');
  for (const [name, path] of entries) {
    if (!VARIABLE_NAME_PATTERN.test(name) || name.startsWith('aws.')) {
      throw validationError(`InputTransformer variable name ${name} is not valid.`);
    }
    if (typeof path !== 'string') throw validationError(`InputPathsMap value for ${name} must be a string.`);
    requireJsonPath(path, `InputPathsMap.${name}`);
  }
}

function requireJsonPath(path: string, member: string): void {
  try {
    compileJsonPath(path);
  } catch (error) {
    throw validationError(`Parameter ${member} is not valid: ${(error as Error).message}`);
  }
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
