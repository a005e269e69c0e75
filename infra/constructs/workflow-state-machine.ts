// One of the flows of docs/backend.md ("Flows"): a Standard state machine whose definition is its file in
// `statemachines/` with the gated step included (infra/state-machine-definition.ts), so AWS and the local
// sandbox run the same JSON. The definition is inlined at synthesis (`DefinitionBody.fromFile` would upload
// it as an S3 asset, which the sandbox does not read) and its `${...}FunctionArn` placeholders are filled by
// DefinitionSubstitutions with the functions given, each of which the state machine may invoke, and no other.
import { type CfnResource, type RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { type FlowName, stateMachineDefinition } from '../state-machine-definition.ts';

/** The functions a flow invokes, by the name of its placeholder without `FunctionArn` (`Gate`, `Finish`, …). */
export type FlowFunctions = Readonly<Record<string, IFunction>>;

export interface WorkflowStateMachineProps {
  readonly flow: FlowName;
  /** Exactly the functions the flow's definition names: a missing or unused one fails the synthesis. */
  readonly functions: FlowFunctions;
  /** Part of the log group name, which must be unique in the account and region. */
  readonly stage: string;
  readonly logRetention: RetentionDays;
  readonly logRemovalPolicy: RemovalPolicy;
}

const FUNCTION_PLACEHOLDER = /\$\{(\w+)FunctionArn\}/g;

export class WorkflowStateMachine extends Construct {
  readonly stateMachine: StateMachine;

  constructor(scope: Construct, id: string, props: WorkflowStateMachineProps) {
    super(scope, id);
    const definition = stateMachineDefinition(props.flow);
    const named = new Set([...definition.matchAll(FUNCTION_PLACEHOLDER)].map((match) => match[1]!));
    const given = Object.keys(props.functions);
    const missing = [...named].filter((name) => !given.includes(name));
    const unused = given.filter((name) => !named.has(name));
    if (missing.length > 0 || unused.length > 0)
      throw new Error(
        `${props.flow}: the definition invokes ${[...named].sort().join(', ')}; ` +
          `missing ${missing.join(', ') || 'none'}, unused ${unused.join(', ') || 'none'}`,
      );

    const logGroup = new LogGroup(this, 'LogGroup', {
      // Step Functions delivers logs as a vended log source; the `/aws/vendedlogs/` prefix keeps CloudWatch
      // Logs from adding a resource-policy statement per log group, which has a small account-wide limit.
      logGroupName: `/aws/vendedlogs/states/trustgate-${props.stage}-${props.flow}`,
      retention: props.logRetention,
      removalPolicy: props.logRemovalPolicy,
    });

    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromString(definition),
      definitionSubstitutions: Object.fromEntries(
        Object.entries(props.functions).map(([name, fn]) => [`${name}FunctionArn`, fn.functionArn]),
      ),
      // Execution data holds agents' prompts and outputs; the workflow item already records what a
      // caller may see, so the logs keep only the event flow.
      logs: { destination: logGroup, level: LogLevel.ALL, includeExecutionData: false },
      tracingEnabled: true,
    });
    for (const invoked of Object.values(props.functions)) {
      invoked.grantInvoke(this.stateMachine);
      Validations.of(this).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(invoked.node.defaultChild as CfnResource)}.Arn>:*]`,
        reason:
          'grantInvoke covers the versions and aliases of this one function (`<arn>:*`), which the ' +
          'lambda:invoke integration may name; no other function is reachable.',
      });
    }
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Only X-Ray tracing and CloudWatch Logs delivery: xray:PutTraceSegments/PutTelemetryRecords/' +
        'GetSamplingRules/GetSamplingTargets and the logs:*LogDelivery / DescribeLogGroups / resource-policy ' +
        'actions Step Functions needs for log delivery support no resource-level permissions.',
    });
  }
}
