// A Lambda function as every trustgate handler runs: the bundle of one entry point from `dist/`,
// Node.js 22 on Graviton, X-Ray active tracing, and its own log group with the configured retention.
// The log group is created here rather than through the `logRetention` prop, whose custom resource the
// local sandbox cannot deploy. The role is explicit so that it holds only what is granted to it (its log
// group here, tables and the rest by the stack) instead of the account-wide AWSLambdaBasicExecutionRole.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type Duration, type RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Code, Function as LambdaFunction, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { functionBundleDir } from '../project-paths.ts';

export interface TrustgateFunctionProps {
  /** `<domain>/<name>` of `functions/<domain>/<name>.handler.ts`, bundled into `dist/<domain>/<name>`. */
  readonly entry: string;
  readonly description: string;
  readonly memorySize: number;
  readonly timeout: Duration;
  readonly environment: Readonly<Record<string, string>>;
  readonly logRetention: RetentionDays;
  readonly logRemovalPolicy: RemovalPolicy;
}

/**
 * Names Powertools reads (functions/observability/powertools.ts); identical for every function, so the
 * operational alarms on custom metrics know their namespace and `service` dimension.
 */
export const POWERTOOLS_ENVIRONMENT = {
  POWERTOOLS_SERVICE_NAME: 'trustgate',
  POWERTOOLS_METRICS_NAMESPACE: 'Trustgate',
};

export class TrustgateFunction extends Construct {
  readonly function: LambdaFunction;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: TrustgateFunctionProps) {
    super(scope, id);
    const bundleDir = functionBundleDir(props.entry);
    if (!existsSync(join(bundleDir, 'index.mjs')))
      throw new Error(
        `no bundle at ${bundleDir}: run \`npm run build\` (functions/${props.entry}.handler.ts)`,
      );
    this.logGroup = new LogGroup(this, 'LogGroup', {
      retention: props.logRetention,
      removalPolicy: props.logRemovalPolicy,
    });
    const role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `${props.entry} handler of ${Stack.of(this).stackName}`,
    });
    this.logGroup.grantWrite(role);

    this.function = new LambdaFunction(this, 'Function', {
      description: props.description,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      code: Code.fromAsset(bundleDir),
      handler: 'index.handler',
      memorySize: props.memorySize,
      timeout: props.timeout,
      role,
      logGroup: this.logGroup,
      tracing: Tracing.ACTIVE,
      environment: {
        ...POWERTOOLS_ENVIRONMENT,
        // The bundles ship source maps: stack traces in the logs then point at the TypeScript sources.
        NODE_OPTIONS: '--enable-source-maps',
        ...props.environment,
      },
    });

    Validations.of(this).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Node.js 22 on purpose: the build (esbuild target node22), the toolchain and the local sandbox that runs ' +
        'these same bundles are all Node 22, so what is tested is what runs in Lambda.',
    });
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Only X-Ray active tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no ' +
        'resource-level permissions, so AWS requires Resource "*" for them.',
    });
  }
}
