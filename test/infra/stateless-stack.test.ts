import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { supportOf } from '../../sandbox/deploy/resource-types.ts';
import { logicalIdAt, type SynthesizedApp, synthesizeTrustgateApp } from './synthesized-app.ts';
import { permissionsOfRole, renderReference } from './template-references.ts';

const PROJECT_ROOT = join(import.meta.dirname, '../..');

let dev: SynthesizedApp;
let tuned: SynthesizedApp;
beforeAll(async () => {
  dev = await synthesizeTrustgateApp();
  // As `cdk -c key=value` passes them: strings, even for numbers.
  tuned = await synthesizeTrustgateApp({
    apiThrottleRateLimit: '7',
    apiThrottleBurstLimit: 3,
    defaultProvider: 'bedrock',
    logRetentionDays: '90',
  });
});

const FUNCTIONS = {
  Gate: { entry: 'workflow/gate', memory: 1024, timeout: 130 },
  Finish: { entry: 'workflow/finish', memory: 512, timeout: 30 },
  AgentsApi: { entry: 'api/agents', memory: 512, timeout: 10 },
  IntentsApi: { entry: 'api/intents', memory: 512, timeout: 10 },
  ProofsApi: { entry: 'api/proofs', memory: 512, timeout: 10 },
  WorkflowsApi: { entry: 'api/workflows', memory: 512, timeout: 10 },
} as const;
type FunctionId = keyof typeof FUNCTIONS;

const ROUTES: Record<string, FunctionId> = {
  'POST /v1/agents': 'AgentsApi',
  'GET /v1/agents': 'AgentsApi',
  'GET /v1/agents/{id}': 'AgentsApi',
  'POST /v1/intents': 'IntentsApi',
  'GET /v1/agents/{id}/intents/verify': 'IntentsApi',
  'GET /v1/proofs/{hash}': 'ProofsApi',
  'POST /v1/workflows': 'WorkflowsApi',
  'GET /v1/workflows/{id}': 'WorkflowsApi',
};

const READ = [
  'dynamodb:BatchGetItem',
  'dynamodb:ConditionCheckItem',
  'dynamodb:DescribeTable',
  'dynamodb:GetItem',
  'dynamodb:GetRecords',
  'dynamodb:GetShardIterator',
  'dynamodb:Query',
  'dynamodb:Scan',
];
const READ_WRITE = [
  ...READ,
  'dynamodb:BatchWriteItem',
  'dynamodb:DeleteItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
].sort();
const XRAY = ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'];

function functionProperties(app: SynthesizedApp, id: FunctionId): Record<string, unknown> {
  const logicalId = logicalIdAt(app.stateless, `${id}/Function`);
  return app.statelessTemplate.findResources('AWS::Lambda::Function')[logicalId]?.Properties;
}

/** `AgentsTable` → the rendered stateful logical id (with `.Arn` for the table ARN). */
function table(id: string, attribute?: 'Arn'): string {
  const logicalId = logicalIdAt(dev.stateful, id);
  return attribute ? `${logicalId}.${attribute}` : logicalId;
}

function permissionsOf(id: FunctionId | 'SequentialPipeline/StateMachine'): Record<string, string[]> {
  return permissionsOfRole(
    dev.statelessTemplate,
    logicalIdAt(dev.stateless, `${id}/Role`),
    dev.statefulTemplate,
  );
}

function ownLogs(id: FunctionId): Record<string, string[]> {
  return {
    [`${logicalIdAt(dev.stateless, `${id}/LogGroup`)}.Arn`]: ['logs:CreateLogStream', 'logs:PutLogEvents'],
  };
}

describe('functions', () => {
  it('bundles every entry point the stack deploys', () => {
    expect(dev.entries).toEqual(expect.arrayContaining(Object.values(FUNCTIONS).map((fn) => fn.entry)));
    dev.statelessTemplate.resourceCountIs('AWS::Lambda::Function', Object.keys(FUNCTIONS).length);
  });

  it.each(Object.entries(FUNCTIONS))(
    '%s runs its own bundle on Node.js 22, arm64, traced',
    (id, expected) => {
      const properties = functionProperties(dev, id as FunctionId);
      expect(properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        MemorySize: expected.memory,
        Timeout: expected.timeout,
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: { LogGroup: { Ref: logicalIdAt(dev.stateless, `${id}/LogGroup`) } },
      });
      // The code asset `<hash>.zip` is staged from the assembly's `asset.<hash>` directory; the bundle's source
      // map names the entry point it was built from.
      const assetHash = (properties.Code as { S3Key: string }).S3Key.replace(/\.zip$/, '');
      const sourceMap = JSON.parse(
        readFileSync(join(dev.assembly.directory, `asset.${assetHash}`, 'index.mjs.map'), 'utf8'),
      ) as { sources: string[] };
      const handlers = sourceMap.sources.filter((source) => source.endsWith('.handler.ts'));
      expect(handlers.map((source) => source.replace(/^(\.\.\/)+/, ''))).toEqual([
        `functions/${expected.entry}.handler.ts`,
      ]);
    },
  );

  it.each(Object.keys(FUNCTIONS))('%s gets the environment of docs/backend.md', (id) => {
    const variables = (
      functionProperties(dev, id as FunctionId).Environment as { Variables: Record<string, never> }
    ).Variables;
    const rendered = Object.fromEntries(
      Object.entries(variables).map(([name, value]) => [name, renderReference(value, dev.statefulTemplate)]),
    );
    expect(rendered).toEqual({
      AGENTS_TABLE: table('AgentsTable'),
      INTENTS_TABLE: table('IntentsTable'),
      PROOFS_TABLE: table('ProofsTable'),
      WORKFLOWS_TABLE: table('WorkflowsTable'),
      GATE_STATE_TABLE: table('GateStateTable'),
      STAGE: 'dev',
      DEFAULT_PROVIDER: 'local',
      POWERTOOLS_SERVICE_NAME: 'trustgate',
      POWERTOOLS_METRICS_NAMESPACE: 'Trustgate',
      NODE_OPTIONS: '--enable-source-maps',
      ...(id === 'WorkflowsApi'
        ? { SEQUENTIAL_STATE_MACHINE_ARN: logicalIdAt(dev.stateless, 'SequentialPipeline/StateMachine') }
        : {}),
    });
  });

  it('takes the default provider from context', () => {
    expect(functionProperties(tuned, 'Gate')).toMatchObject({
      Environment: { Variables: { DEFAULT_PROVIDER: 'bedrock' } },
    });
  });
});

describe('permissions', () => {
  it('gives roles no managed policies: every permission is a grant', () => {
    for (const role of Object.values(dev.statelessTemplate.findResources('AWS::IAM::Role'))) {
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
      expect(role.Properties.Policies).toBeUndefined();
    }
  });

  it('agents API: the agents table', () => {
    expect(permissionsOf('AgentsApi')).toEqual({
      [table('AgentsTable', 'Arn')]: READ_WRITE,
      ...ownLogs('AgentsApi'),
      '*': XRAY,
    });
  });

  it('intents API: agents and intents (chain head and record in one transaction), Query on byIntentId', () => {
    expect(permissionsOf('IntentsApi')).toEqual({
      [table('AgentsTable', 'Arn')]: READ_WRITE,
      [table('IntentsTable', 'Arn')]: READ_WRITE,
      [`${table('IntentsTable', 'Arn')}/index/byIntentId`]: ['dynamodb:Query'],
      ...ownLogs('IntentsApi'),
      '*': XRAY,
    });
  });

  it('proofs API: reads proofs and writes nothing', () => {
    expect(permissionsOf('ProofsApi')).toEqual({
      [table('ProofsTable', 'Arn')]: READ,
      ...ownLogs('ProofsApi'),
      '*': XRAY,
    });
  });

  it('workflows API: workflows, reads agents, starts the pipeline', () => {
    expect(permissionsOf('WorkflowsApi')).toEqual({
      [table('WorkflowsTable', 'Arn')]: READ_WRITE,
      [table('AgentsTable', 'Arn')]: READ,
      [logicalIdAt(dev.stateless, 'SequentialPipeline/StateMachine')]: ['states:StartExecution'],
      ...ownLogs('WorkflowsApi'),
      '*': XRAY,
    });
  });

  it('gate: every table, and Bedrock InvokeModel on foundation models and inference profiles only', () => {
    expect(permissionsOf('Gate')).toEqual({
      [table('WorkflowsTable', 'Arn')]: READ_WRITE,
      [table('AgentsTable', 'Arn')]: READ_WRITE,
      [table('IntentsTable', 'Arn')]: READ_WRITE,
      [`${table('IntentsTable', 'Arn')}/index/byIntentId`]: ['dynamodb:Query'],
      [table('ProofsTable', 'Arn')]: READ_WRITE,
      [table('GateStateTable', 'Arn')]: READ_WRITE,
      'arn:AWS::Partition:bedrock:*::foundation-model/*': ['bedrock:InvokeModel'],
      'arn:AWS::Partition:bedrock:*:AWS::AccountId:inference-profile/*': ['bedrock:InvokeModel'],
      ...ownLogs('Gate'),
      '*': XRAY,
    });
  });

  it('finish: workflows and proofs', () => {
    expect(permissionsOf('Finish')).toEqual({
      [table('WorkflowsTable', 'Arn')]: READ_WRITE,
      [table('ProofsTable', 'Arn')]: READ_WRITE,
      ...ownLogs('Finish'),
      '*': XRAY,
    });
  });

  it('state machine: invokes the gate and finish functions only', () => {
    const gate = `${logicalIdAt(dev.stateless, 'Gate/Function')}.Arn`;
    const finish = `${logicalIdAt(dev.stateless, 'Finish/Function')}.Arn`;
    const permissions = permissionsOf('SequentialPipeline/StateMachine');
    const invocable = Object.entries(permissions)
      .filter(([, actions]) => actions.includes('lambda:InvokeFunction'))
      .map(([resource]) => resource)
      .sort();
    expect(invocable).toEqual([gate, `${gate}:*`, finish, `${finish}:*`].sort());
    expect(Object.keys(permissions).sort()).toEqual([...invocable, '*'].sort());
    expect(permissions['*']).not.toContain('lambda:InvokeFunction');
  });
});

describe('sequential pipeline', () => {
  const definitionFile = join(PROJECT_ROOT, 'statemachines/sequential-pipeline.asl.json');

  it('is a Standard state machine running the definition file, with the function ARNs substituted', () => {
    const stateMachines = dev.statelessTemplate.findResources('AWS::StepFunctions::StateMachine');
    expect(Object.keys(stateMachines)).toEqual([
      logicalIdAt(dev.stateless, 'SequentialPipeline/StateMachine'),
    ]);
    const properties = Object.values(stateMachines)[0]?.Properties;
    expect(properties.StateMachineType).toBe('STANDARD');
    expect(JSON.parse(properties.DefinitionString)).toEqual(JSON.parse(readFileSync(definitionFile, 'utf8')));
    expect(properties.DefinitionSubstitutions).toEqual({
      GateFunctionArn: { 'Fn::GetAtt': [logicalIdAt(dev.stateless, 'Gate/Function'), 'Arn'] },
      FinishFunctionArn: { 'Fn::GetAtt': [logicalIdAt(dev.stateless, 'Finish/Function'), 'Arn'] },
    });
  });

  it('leaves no placeholder of the definition unsubstituted', () => {
    const properties = Object.values(
      dev.statelessTemplate.findResources('AWS::StepFunctions::StateMachine'),
    )[0]?.Properties;
    const placeholders = [...(properties.DefinitionString as string).matchAll(/\$\{(\w+)\}/g)].map(
      (m) => m[1],
    );
    expect(placeholders.length).toBeGreaterThan(0);
    for (const placeholder of placeholders)
      expect(properties.DefinitionSubstitutions).toHaveProperty(placeholder!);
  });

  it('logs every event without execution data, and traces', () => {
    dev.statelessTemplate.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      LoggingConfiguration: {
        Level: 'ALL',
        IncludeExecutionData: false,
        Destinations: [
          {
            CloudWatchLogsLogGroup: {
              LogGroupArn: {
                'Fn::GetAtt': [logicalIdAt(dev.stateless, 'SequentialPipeline/LogGroup'), 'Arn'],
              },
            },
          },
        ],
      },
      TracingConfiguration: { Enabled: true },
    });
    dev.statelessTemplate.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: '/aws/vendedlogs/states/trustgate-dev-sequential-pipeline',
    });
  });

  it('outputs its ARN', () => {
    dev.statelessTemplate.hasOutput('SequentialPipelineArn', {
      Value: { Ref: logicalIdAt(dev.stateless, 'SequentialPipeline/StateMachine') },
    });
  });
});

describe('HTTP API', () => {
  it('routes every documented route key to its function through a payload 2.0 proxy integration', () => {
    const template = dev.statelessTemplate.toJSON();
    const integrations = dev.statelessTemplate.findResources('AWS::ApiGatewayV2::Integration');
    for (const integration of Object.values(integrations)) {
      expect(integration.Properties).toMatchObject({
        IntegrationType: 'AWS_PROXY',
        PayloadFormatVersion: '2.0',
      });
    }
    const routed = Object.fromEntries(
      Object.values(dev.statelessTemplate.findResources('AWS::ApiGatewayV2::Route')).map((route) => {
        const integrationId = (route.Properties.Target['Fn::Join'][1] as unknown[])[1] as { Ref: string };
        const uri = template.Resources[integrationId.Ref].Properties.IntegrationUri;
        return [route.Properties.RouteKey, renderReference(uri, dev.statefulTemplate)];
      }),
    );
    expect(routed).toEqual(
      Object.fromEntries(
        Object.entries(ROUTES).map(([key, id]) => [
          key,
          `${logicalIdAt(dev.stateless, `${id}/Function`)}.Arn`,
        ]),
      ),
    );
  });

  it('answers browser preflights for the trustgate headers', () => {
    dev.statelessTemplate.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      ProtocolType: 'HTTP',
      Name: 'trustgate-dev',
      CorsConfiguration: {
        AllowOrigins: ['*'],
        AllowMethods: Match.arrayEquals(['GET', 'POST', 'DELETE', 'OPTIONS']),
        AllowHeaders: Match.arrayEquals([
          'content-type',
          'authorization',
          'x-trustgate-tenant',
          'x-trustgate-role',
        ]),
      },
    });
  });

  it('throttles its one auto-deployed $default stage from context', () => {
    dev.statelessTemplate.resourceCountIs('AWS::ApiGatewayV2::Stage', 1);
    dev.statelessTemplate.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
    });
    tuned.statelessTemplate.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      DefaultRouteSettings: { ThrottlingRateLimit: 7, ThrottlingBurstLimit: 3 },
    });
  });

  it('writes JSON access logs to its own log group', () => {
    const stage = Object.values(dev.statelessTemplate.findResources('AWS::ApiGatewayV2::Stage'))[0]
      ?.Properties;
    expect(stage.AccessLogSettings.DestinationArn).toEqual({
      'Fn::GetAtt': [logicalIdAt(dev.stateless, 'HttpApi/AccessLogs'), 'Arn'],
    });
    expect(JSON.parse(stage.AccessLogSettings.Format)).toMatchObject({
      requestId: '$context.requestId',
      routeKey: '$context.routeKey',
      status: '$context.status',
    });
  });

  it('outputs the endpoint the API answers on', () => {
    dev.statelessTemplate.hasOutput('ApiUrl', {
      Value: { 'Fn::GetAtt': [logicalIdAt(dev.stateless, 'HttpApi/Api'), 'ApiEndpoint'] },
    });
  });
});

describe('log groups', () => {
  it('keeps every log group for the retention in context (30 days by default)', () => {
    const groups = Object.values(dev.statelessTemplate.findResources('AWS::Logs::LogGroup'));
    // One per function, the state machine's and the API's access logs.
    expect(groups).toHaveLength(Object.keys(FUNCTIONS).length + 2);
    for (const group of groups) expect(group.Properties.RetentionInDays).toBe(30);
    for (const group of Object.values(tuned.statelessTemplate.findResources('AWS::Logs::LogGroup')))
      expect(group.Properties.RetentionInDays).toBe(90);
  });
});

describe('local sandbox', () => {
  it('can deploy every resource of both stacks (no custom resources, no function URLs)', () => {
    for (const template of [dev.statefulTemplate, dev.statelessTemplate]) {
      const types = Object.values(template.toJSON().Resources as Record<string, { Type: string }>).map(
        (r) => r.Type,
      );
      expect(types.filter((type) => supportOf(type) === 'unsupported')).toEqual([]);
    }
  });
});
