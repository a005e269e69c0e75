// The sequential pipeline (docs/backend.md): a Standard state machine whose definition is the very file
// `statemachines/sequential-pipeline.asl.json`, so AWS and the local sandbox run the same JSON. The
// definition is inlined at synthesis (`DefinitionBody.fromFile` would upload it as an S3 asset, which
// the sandbox does not read) and its `${...}` placeholders are filled by DefinitionSubstitutions.
import { readFileSync } from 'node:fs';
import { type CfnResource, type RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { stateMachineDefinitionFile } from '../project-paths.ts';

export interface SequentialPipelineProps {
  /** Runs one step: trust check, intent, decision, provider call, proof. */
  readonly gate: IFunction;
  /** Seals the proofs and records the outcome. */
  readonly finish: IFunction;
  /** Part of the log group name, which must be unique in the account and region. */
  readonly stage: string;
  readonly logRetention: RetentionDays;
  readonly logRemovalPolicy: RemovalPolicy;
}

export class SequentialPipeline extends Construct {
  readonly stateMachine: StateMachine;

  constructor(scope: Construct, id: string, props: SequentialPipelineProps) {
    super(scope, id);
    const logGroup = new LogGroup(this, 'LogGroup', {
      // Step Functions delivers logs as a vended log source; the `/aws/vendedlogs/` prefix keeps CloudWatch
      // Logs from adding a resource-policy statement per log group, which has a small account-wide limit.
      logGroupName: `/aws/vendedlogs/states/trustgate-${props.stage}-sequential-pipeline`,
      retention: props.logRetention,
      removalPolicy: props.logRemovalPolicy,
    });

    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromString(
        readFileSync(stateMachineDefinitionFile('sequential-pipeline'), 'utf8'),
      ),
      definitionSubstitutions: {
        GateFunctionArn: props.gate.functionArn,
        FinishFunctionArn: props.finish.functionArn,
      },
      // Execution data holds agents' prompts and outputs; the workflow item already records what a
      // caller may see, so the logs keep only the event flow.
      logs: { destination: logGroup, level: LogLevel.ALL, includeExecutionData: false },
      tracingEnabled: true,
    });
    for (const invoked of [props.gate, props.finish]) {
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
