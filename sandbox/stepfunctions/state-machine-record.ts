import type { StateMachine } from 'aws-local-stepfunctions';
import type { StateMachineType } from './definition-policy.ts';
import type { EngineDefinition } from './engine-definition.ts';
import type { TaskStateSpec } from './task-state-spec.ts';

/** A created state machine: what Describe returns and what an execution runs (fixed when it starts). */
export interface StateMachineRecord {
  arn: string;
  name: string;
  type: StateMachineType;
  roleArn: string;
  definitionText: string;
  creationDate: Date;
  /** The definition's TimeoutSeconds: the execution deadline. */
  timeoutSeconds?: number;
  engine: StateMachine;
  engineDefinition: EngineDefinition;
  taskStates: Map<string, TaskStateSpec>;
  loggingConfiguration: unknown;
  tracingConfiguration: unknown;
}
