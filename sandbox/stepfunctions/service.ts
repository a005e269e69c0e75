import { randomUUID } from 'node:crypto';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import type { JsonProtocolService, LambdaRuntime, SandboxEndpoints } from '../contracts.ts';
import { AwsServiceError, SANDBOX_ACCOUNT_ID } from '../contracts.ts';
import { assertValidName, executionArn, requireArn, stateMachineArn } from './arns.ts';
import type { StateMachineType } from './definition-policy.ts';
import { checkDefinition } from './definition-policy.ts';
import { prepareEngineDefinition } from './engine-definition.ts';
import type { ExecutionStatus } from './execution.ts';
import { Execution } from './execution.ts';
import type { HistoryEvent } from './history.ts';
import { createTaskIntegrations } from './integrations/task-integrations.ts';
import { parseJsonDocument } from './json.ts';
import { stopMapIterationsAfterFailure } from './map-iteration-stop.ts';
import { paginate } from './pagination.ts';
import type { StateMachineRecord } from './state-machine-record.ts';
import { statesTimeoutError } from './task-errors.ts';
import { TaskTokenRegistry } from './task-tokens.ts';

// Step Functions caps execution input (and every state's data) at 256 KiB.
const MAX_INPUT_BYTES = 256 * 1024;
const EXECUTION_STATUSES: readonly ExecutionStatus[] = [
  'RUNNING',
  'SUCCEEDED',
  'FAILED',
  'TIMED_OUT',
  'ABORTED',
];

export interface StepFunctionsService extends JsonProtocolService {
  /**
   * Resolves with DescribeExecution's output once the execution has closed: lets in-process
   * callers (tests, benchmarks) wait without polling. Not an AWS operation.
   */
  waitForExecution(executionArn: string): Promise<Record<string, unknown>>;
}

type Operation = (input: Record<string, unknown>) => unknown;

/** The Step Functions API (`AWSStepFunctions.*`) over the aws-local-stepfunctions engine. */
export function createStepFunctionsService(options: {
  endpoints: SandboxEndpoints;
  lambda: Pick<LambdaRuntime, 'invoke'>;
}): StepFunctionsService {
  const { region } = options.endpoints;
  const stateMachines = new Map<string, StateMachineRecord>();
  const executions = new Map<string, Execution>();
  const tokens = new TaskTokenRegistry();
  const integrations = createTaskIntegrations(options);
  const services = { region, tokens, integrations };
  // Loads the engine's timeout error class now rather than when the first task times out.
  void statesTimeoutError();
  stopMapIterationsAfterFailure();

  const findStateMachine = (input: Record<string, unknown>): StateMachineRecord => {
    const arn = requireArn(input, 'stateMachineArn', 'stateMachine');
    const record = stateMachines.get(arn);
    if (!record)
      throw new AwsServiceError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
    return record;
  };
  const findExecution = (input: Record<string, unknown>): Execution => {
    const arn = requireArn(input, 'executionArn', 'execution');
    const execution = executions.get(arn);
    if (!execution) throw new AwsServiceError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
    return execution;
  };

  const buildRecord = (
    base: Pick<StateMachineRecord, 'arn' | 'name' | 'type' | 'roleArn' | 'creationDate'> &
      Pick<StateMachineRecord, 'loggingConfiguration' | 'tracingConfiguration'>,
    definitionText: unknown,
  ): StateMachineRecord => {
    const checked = checkDefinition(definitionText, base.type);
    const engineDefinition = prepareEngineDefinition(checked.definition);
    return {
      ...base,
      definitionText: definitionText as string,
      ...(typeof checked.definition.TimeoutSeconds === 'number'
        ? { timeoutSeconds: checked.definition.TimeoutSeconds }
        : {}),
      engine: new StateMachine(engineDefinition.definition as unknown as StateMachineDefinition, {
        validationOptions: { noValidate: true },
      }),
      engineDefinition,
      taskStates: checked.taskStates,
    };
  };

  const startExecution = (input: Record<string, unknown>): Execution => {
    const stateMachine = findStateMachine(input);
    const name = input.name ?? randomUUID();
    assertValidName(name, 'execution');
    const executionInput = input.input ?? '{}';
    if (typeof executionInput !== 'string' || parseJsonDocument(executionInput) === undefined) {
      throw new AwsServiceError(
        'InvalidExecutionInput',
        `Invalid execution input: '${String(executionInput)}'`,
      );
    }
    if (Buffer.byteLength(executionInput) > MAX_INPUT_BYTES) {
      throw new AwsServiceError(
        'InvalidExecutionInput',
        'The execution input exceeds the maximum size of 262144 bytes',
      );
    }
    const arn =
      stateMachine.type === 'EXPRESS'
        ? `arn:aws:states:${region}:${SANDBOX_ACCOUNT_ID}:express:${stateMachine.name}:${name}:${randomUUID()}`
        : executionArn(region, stateMachine.name, name);
    const existing = executions.get(arn);
    if (existing) {
      // A retried StartExecution of a running execution with the same input is idempotent.
      if (existing.status === 'RUNNING' && existing.input === executionInput) return existing;
      throw new AwsServiceError('ExecutionAlreadyExists', `Execution Already Exists: '${arn}'`);
    }
    const execution = new Execution(arn, name, stateMachine, executionInput, services);
    executions.set(arn, execution);
    return execution;
  };

  const operations: Record<string, Operation> = {
    CreateStateMachine(input) {
      const name = input.name;
      assertValidName(name, 'state machine');
      const type = stateMachineType(input.type ?? 'STANDARD');
      const roleArn = requireString(input, 'roleArn');
      const arn = stateMachineArn(region, name);
      const existing = stateMachines.get(arn);
      if (existing) {
        // Creating an identical state machine again returns it, as AWS does.
        const identical =
          existing.definitionText === input.definition &&
          existing.roleArn === roleArn &&
          existing.type === type;
        if (!identical)
          throw new AwsServiceError('StateMachineAlreadyExists', `State Machine Already Exists: '${arn}'`);
        return { stateMachineArn: arn, creationDate: epochSeconds(existing.creationDate) };
      }
      const record = buildRecord(
        {
          arn,
          name,
          type,
          roleArn,
          creationDate: new Date(),
          loggingConfiguration: input.loggingConfiguration ?? { level: 'OFF', includeExecutionData: false },
          tracingConfiguration: input.tracingConfiguration ?? { enabled: false },
        },
        input.definition,
      );
      stateMachines.set(arn, record);
      return { stateMachineArn: arn, creationDate: epochSeconds(record.creationDate) };
    },

    DescribeStateMachine(input) {
      return describeStateMachine(findStateMachine(input));
    },

    DescribeStateMachineForExecution(input) {
      const { stateMachine } = findExecution(input);
      return { ...describeStateMachine(stateMachine), updateDate: epochSeconds(stateMachine.creationDate) };
    },

    ListStateMachines(input) {
      const { page, nextToken } = paginate([...stateMachines.values()], input);
      return {
        stateMachines: page.map((record) => ({
          stateMachineArn: record.arn,
          name: record.name,
          type: record.type,
          creationDate: epochSeconds(record.creationDate),
        })),
        ...(nextToken ? { nextToken } : {}),
      };
    },

    UpdateStateMachine(input) {
      const current = findStateMachine(input);
      if (
        input.definition === undefined &&
        input.roleArn === undefined &&
        input.loggingConfiguration === undefined
      ) {
        throw new AwsServiceError(
          'MissingRequiredParameter',
          'Either the definition, the roleArn or the logging configuration must be specified',
        );
      }
      // Running executions keep the definition they started with: they hold the previous record.
      const updated = buildRecord(
        {
          ...current,
          roleArn: typeof input.roleArn === 'string' ? input.roleArn : current.roleArn,
          loggingConfiguration: input.loggingConfiguration ?? current.loggingConfiguration,
          tracingConfiguration: input.tracingConfiguration ?? current.tracingConfiguration,
        },
        input.definition ?? current.definitionText,
      );
      stateMachines.set(current.arn, updated);
      return { updateDate: epochSeconds(new Date()) };
    },

    DeleteStateMachine(input) {
      // Deleting is idempotent; executions already started run to their end.
      stateMachines.delete(requireArn(input, 'stateMachineArn', 'stateMachine'));
      return {};
    },

    StartExecution(input) {
      const execution = startExecution(input);
      return { executionArn: execution.arn, startDate: epochSeconds(execution.startDate) };
    },

    async StartSyncExecution(input) {
      if (findStateMachine(input).type !== 'EXPRESS') {
        throw new AwsServiceError(
          'StateMachineTypeNotSupported',
          'This operation is supported by EXPRESS state machines only',
        );
      }
      const execution = startExecution(input);
      await execution.closed;
      return describeExecution(execution);
    },

    DescribeExecution(input) {
      return describeExecution(findExecution(input));
    },

    GetExecutionHistory(input) {
      const execution = findExecution(input);
      const events = [...execution.history.list()];
      if (input.reverseOrder === true) events.reverse();
      const { page, nextToken } = paginate(events, input);
      return {
        events: page.map((event) => historyEventOutput(event, input.includeExecutionData !== false)),
        ...(nextToken ? { nextToken } : {}),
      };
    },

    ListExecutions(input) {
      const stateMachine = findStateMachine(input);
      if (stateMachine.type === 'EXPRESS') {
        throw new AwsServiceError(
          'StateMachineTypeNotSupported',
          'This operation is not supported by EXPRESS state machines',
        );
      }
      const statusFilter = input.statusFilter;
      if (statusFilter !== undefined && !EXECUTION_STATUSES.includes(statusFilter as ExecutionStatus)) {
        throw new AwsServiceError('ValidationException', `Invalid statusFilter: '${String(statusFilter)}'`);
      }
      const matching = [...executions.values()]
        .filter((execution) => execution.stateMachine.arn === stateMachine.arn)
        .filter((execution) => statusFilter === undefined || execution.status === statusFilter)
        .reverse();
      const { page, nextToken } = paginate(matching, input);
      return {
        executions: page.map((execution) => ({
          executionArn: execution.arn,
          stateMachineArn: execution.stateMachine.arn,
          name: execution.name,
          status: execution.status,
          startDate: epochSeconds(execution.startDate),
          ...(execution.stopDate ? { stopDate: epochSeconds(execution.stopDate) } : {}),
        })),
        ...(nextToken ? { nextToken } : {}),
      };
    },

    async StopExecution(input) {
      const execution = findExecution(input);
      execution.stop(optionalString(input, 'error', 256), optionalString(input, 'cause', 32768));
      await execution.closed;
      return { stopDate: epochSeconds(execution.stopDate ?? new Date()) };
    },

    SendTaskSuccess(input) {
      tokens.succeed(input.taskToken, input.output);
      return {};
    },

    SendTaskFailure(input) {
      tokens.fail(
        input.taskToken,
        optionalString(input, 'error', 256),
        optionalString(input, 'cause', 32768),
      );
      return {};
    },

    SendTaskHeartbeat(input) {
      tokens.heartbeat(input.taskToken);
      return {};
    },
  };

  return {
    targetPrefix: 'AWSStepFunctions',
    async handle(operation, input) {
      const run = operations[operation];
      if (!run)
        throw new AwsServiceError('UnknownOperationException', `Operation '${operation}' is not supported`);
      return run(input);
    },
    async waitForExecution(arn) {
      const execution = findExecution({ executionArn: arn });
      await execution.closed;
      return describeExecution(execution);
    },
    async close() {
      const running = [...executions.values()].filter((execution) => execution.status === 'RUNNING');
      for (const execution of running) execution.stop();
      await Promise.all(running.map((execution) => execution.closed));
      integrations.close();
    },
  };
}

function describeStateMachine(record: StateMachineRecord): Record<string, unknown> {
  return {
    stateMachineArn: record.arn,
    name: record.name,
    status: 'ACTIVE',
    definition: record.definitionText,
    roleArn: record.roleArn,
    type: record.type,
    creationDate: epochSeconds(record.creationDate),
    loggingConfiguration: record.loggingConfiguration,
    tracingConfiguration: record.tracingConfiguration,
  };
}

function describeExecution(execution: Execution): Record<string, unknown> {
  return {
    executionArn: execution.arn,
    stateMachineArn: execution.stateMachine.arn,
    name: execution.name,
    status: execution.status,
    startDate: epochSeconds(execution.startDate),
    ...(execution.stopDate ? { stopDate: epochSeconds(execution.stopDate) } : {}),
    input: execution.input,
    inputDetails: { included: true },
    ...(execution.output === undefined
      ? {}
      : { output: execution.output, outputDetails: { included: true } }),
    ...(execution.error === undefined ? {} : { error: execution.error }),
    ...(execution.cause === undefined ? {} : { cause: execution.cause }),
    redriveCount: 0,
    redriveStatus: 'NOT_REDRIVABLE',
  };
}

function historyEventOutput(event: HistoryEvent, includeExecutionData: boolean): Record<string, unknown> {
  const output: Record<string, unknown> = { ...event, timestamp: epochSeconds(event.timestamp) };
  if (!includeExecutionData) {
    for (const [key, details] of Object.entries(output)) {
      if (!key.endsWith('EventDetails') || typeof details !== 'object' || details === null) continue;
      const {
        input: _input,
        output: _output,
        parameters: _parameters,
        ...rest
      } = details as Record<string, unknown>;
      output[key] = rest;
    }
  }
  return output;
}

/** Timestamps travel as epoch seconds in the JSON protocol, which is what the SDK parses. */
function epochSeconds(date: Date): number {
  return date.getTime() / 1000;
}

function stateMachineType(type: unknown): StateMachineType {
  if (type === 'STANDARD' || type === 'EXPRESS') return type;
  throw new AwsServiceError(
    'ValidationException',
    `1 validation error detected: Value '${String(type)}' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [STANDARD, EXPRESS]`,
  );
}

function requireString(input: Record<string, unknown>, field: string): string {
  const value = input[field];
  if (typeof value !== 'string' || value.length === 0) {
    throw new AwsServiceError(
      'ValidationException',
      `1 validation error detected: '${field}' must not be null`,
    );
  }
  return value;
}

function optionalString(
  input: Record<string, unknown>,
  field: string,
  maxLength: number,
): string | undefined {
  const value = input[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length > maxLength) {
    throw new AwsServiceError(
      'ValidationException',
      `1 validation error detected: '${field}' must be a string of at most ${maxLength} characters`,
    );
  }
  return value;
}
