import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { CreateEventBusCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateStateMachineCommand } from '@aws-sdk/client-sfn';
import { CreateQueueCommand, GetQueueUrlCommand, SetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import {
  type HttpApiSpec,
  type LambdaFunctionSpec,
  type LambdaRuntime,
  SANDBOX_ACCOUNT_ID,
  type SqsEventSourceSpec,
} from '../contracts.ts';
import { findFreePort } from '../emulators/free-port.ts';
import type { AssemblyStack } from './cloud-assembly.ts';
import { deploymentOrder } from './deployment-order.ts';
import { type ResolutionContext, resolveIntrinsics, TemplateResolutionError } from './intrinsic-functions.ts';
import { assertSupported, supportOf } from './resource-types.ts';
import { tableIdentity, tableSpec } from './resources/dynamodb-table.ts';
import { eventSourceMappingIdentity, sqsEventSourceSpec } from './resources/event-source-mapping.ts';
import { eventBusIdentity, eventBusName, ruleIdentity, ruleSpec } from './resources/events.ts';
import {
  type HttpApiPart,
  httpApiIdentity,
  httpApiPartIdentity,
  httpApiSpec,
  validateHttpApi,
} from './resources/http-api.ts';
import { lambdaFunctionIdentity, lambdaFunctionSpec } from './resources/lambda-function.ts';
import { notEmulatedIdentity } from './resources/not-emulated.ts';
import { queueIdentity, queueSpec } from './resources/sqs-queue.ts';
import type { StackScope } from './resources/stack-scope.ts';
import { stateMachineIdentity, stateMachineSpec } from './resources/state-machine.ts';
import { createServiceClients, type ServiceClients } from './service-clients.ts';
import type { CfnResource, ResourceIdentity } from './template-types.ts';

/** The running parts the deployer hands resources to. */
export interface DeployServices {
  edgeUrl: string;
  lambda: LambdaRuntime;
  startSqsEventSource(
    spec: SqsEventSourceSpec,
    target: { region: string; functionReservedConcurrency?: number },
  ): { stop(): Promise<void> };
  startHttpApi(spec: HttpApiSpec, port: number): Promise<{ url: string; stop(): Promise<void> }>;
}

export interface DeployOptions {
  /** Region for stacks synthesized without one. */
  defaultRegion: string;
  /** Deploy the rest of the stack when it holds resource types the sandbox does not support. */
  ignoreUnsupported: boolean;
  /** Port of the first HTTP API; 0 for a free one. Other APIs always get free ports. */
  apiPort: number;
  log(line: string): void;
}

export interface DeployedHttpApi {
  stackName: string;
  logicalId: string;
  /** Base URL including the stage path when the stage is not `$default`. */
  url: string;
}

export interface DeployedAssembly {
  httpApis: DeployedHttpApi[];
  outputs: Record<string, Record<string, unknown>>;
  /** `Type LogicalId` of resources accepted without emulation. */
  notEmulated: string[];
  /** `Type LogicalId` of unsupported resources skipped because of ignoreUnsupported. */
  skipped: string[];
  /** Stops event source pollers and HTTP API servers. */
  stop(): Promise<void>;
}

/** Deploys stacks in order through the sandbox's services, resolving references as CloudFormation does. */
export async function deployAssembly(
  stacks: AssemblyStack[],
  services: DeployServices,
  options: DeployOptions,
): Promise<DeployedAssembly> {
  const stoppers: (() => Promise<void>)[] = [];
  const result: DeployedAssembly = {
    httpApis: [],
    outputs: {},
    notEmulated: [],
    skipped: [],
    stop: async () => {
      await Promise.all(stoppers.splice(0).map((stop) => stop()));
    },
  };
  const exports = new Map<string, unknown>();
  let apiPortTaken = false;
  const nextApiPort = async () => {
    const first = !apiPortTaken;
    apiPortTaken = true;
    return first && options.apiPort !== 0 ? options.apiPort : findFreePort();
  };
  try {
    for (const stack of stacks) {
      const region = stack.region ?? options.defaultRegion;
      const clients = createServiceClients(services.edgeUrl, region);
      try {
        await new StackDeployment(
          stack,
          region,
          clients,
          services,
          options,
          exports,
          result,
          stoppers,
          nextApiPort,
        ).run();
      } finally {
        clients.destroy();
      }
    }
  } catch (error) {
    await result.stop();
    throw error;
  }
  return result;
}

class StackDeployment {
  private readonly identities = new Map<string, ResourceIdentity>();
  private readonly httpApiParts: HttpApiPart[] = [];
  private readonly functions: LambdaFunctionSpec[] = [];
  private readonly httpApis: {
    logicalId: string;
    identity: ResourceIdentity;
    properties: Record<string, unknown>;
    port: number;
  }[] = [];
  private readonly scope: StackScope;
  private readonly context: ResolutionContext;

  constructor(
    private readonly stack: AssemblyStack,
    region: string,
    private readonly clients: ServiceClients,
    private readonly services: DeployServices,
    private readonly options: DeployOptions,
    private readonly exports: Map<string, unknown>,
    private readonly result: DeployedAssembly,
    private readonly stoppers: (() => Promise<void>)[],
    private readonly nextApiPort: () => Promise<number>,
  ) {
    this.scope = {
      stackName: stack.stackName,
      region,
      accountId: SANDBOX_ACCOUNT_ID,
      edgeUrl: services.edgeUrl,
    };
    const resources = stack.template.Resources ?? {};
    this.context = {
      stackName: stack.stackName,
      region,
      accountId: SANDBOX_ACCOUNT_ID,
      template: stack.template,
      resourceRef: (logicalId) => this.identityOf(logicalId).ref,
      resourceAttribute: (logicalId, attribute) => {
        const identity = this.identityOf(logicalId);
        if (!(attribute in identity.attributes)) {
          throw new TemplateResolutionError(
            `Fn::GetAtt ${logicalId}.${attribute} is not emulated for ${resources[logicalId]?.Type}`,
          );
        }
        return identity.attributes[attribute];
      },
      importValue: (name) => {
        if (!exports.has(name))
          throw new TemplateResolutionError(`Fn::ImportValue ${name}: no stack of the assembly exports it`);
        return exports.get(name);
      },
    };
  }

  private identityOf(logicalId: string): ResourceIdentity {
    const identity = this.identities.get(logicalId);
    if (identity) return identity;
    const resource = this.stack.template.Resources?.[logicalId];
    throw new TemplateResolutionError(
      resource
        ? `${logicalId} (${resource.Type}) is referenced but was not deployed (its condition is false or it was skipped)`
        : `${logicalId} is referenced but is neither a resource nor a parameter of stack ${this.stack.stackName}`,
    );
  }

  async run(): Promise<void> {
    const resources = this.stack.template.Resources ?? {};
    const order = deploymentOrder(this.stack.template);
    assertSupported([this.stack], this.options.ignoreUnsupported);
    for (const logicalId of order) {
      const resource = resources[logicalId]!;
      if (resource.Condition && resolveIntrinsics({ Condition: resource.Condition }, this.context) !== true)
        continue;
      const support = supportOf(resource.Type);
      if (support === 'unsupported') {
        this.result.skipped.push(`${resource.Type} ${logicalId}`);
        this.options.log(`skipped unsupported ${resource.Type} ${logicalId}`);
        continue;
      }
      const properties = (resolveIntrinsics(resource.Properties ?? {}, this.context) ?? {}) as Record<
        string,
        unknown
      >;
      if (support === 'not-emulated') {
        this.result.notEmulated.push(`${resource.Type} ${logicalId}`);
        this.identities.set(logicalId, notEmulatedIdentity(resource.Type, logicalId, properties, this.scope));
        continue;
      }
      try {
        this.identities.set(logicalId, await this.deployResource(logicalId, resource, properties));
      } catch (error) {
        throw new Error(
          `${this.stack.stackName}/${logicalId} (${resource.Type}) failed to deploy: ${(error as Error).message}`,
          {
            cause: error,
          },
        );
      }
    }
    await this.startHttpApis();
    this.collectOutputs();
  }

  private async deployResource(
    logicalId: string,
    resource: CfnResource,
    properties: Record<string, unknown>,
  ): Promise<ResourceIdentity> {
    switch (resource.Type) {
      case 'AWS::DynamoDB::Table':
        return this.deployTable(logicalId, properties);
      case 'AWS::SQS::Queue':
        return this.deployQueue(logicalId, properties);
      case 'AWS::Events::EventBus': {
        const name = eventBusName(logicalId, properties);
        await ignoring(
          'ResourceAlreadyExistsException',
          this.clients.eventBridge.send(new CreateEventBusCommand({ Name: name })),
        );
        return eventBusIdentity(name, this.scope);
      }
      case 'AWS::Events::Rule': {
        const spec = ruleSpec(logicalId, properties, this.scope);
        await this.clients.eventBridge.send(new PutRuleCommand(spec.putRule));
        if (spec.putTargets) {
          const answer = await this.clients.eventBridge.send(new PutTargetsCommand(spec.putTargets));
          if (answer.FailedEntryCount)
            throw new Error(`PutTargets failed: ${JSON.stringify(answer.FailedEntries)}`);
        }
        return ruleIdentity(spec, this.scope);
      }
      case 'AWS::StepFunctions::StateMachine': {
        const input = stateMachineSpec(logicalId, properties, this.scope);
        const { stateMachineArn } = await this.clients.stepFunctions.send(
          new CreateStateMachineCommand(input),
        );
        return stateMachineIdentity(stateMachineArn!, input.name!);
      }
      case 'AWS::Lambda::Function': {
        const spec = lambdaFunctionSpec(logicalId, resource, properties, this.scope, this.stack);
        await this.services.lambda.deploy(spec);
        this.functions.push(spec);
        return lambdaFunctionIdentity(spec);
      }
      case 'AWS::Lambda::EventSourceMapping': {
        const spec = sqsEventSourceSpec(logicalId, properties, this.scope);
        const reserved = this.functions.find(
          (candidate) => candidate.functionName === spec.functionName || candidate.arn === spec.functionName,
        )?.reservedConcurrency;
        const source = this.services.startSqsEventSource(spec, {
          region: this.scope.region,
          ...(reserved !== undefined ? { functionReservedConcurrency: reserved } : {}),
        });
        this.stoppers.push(() => source.stop());
        return eventSourceMappingIdentity(logicalId, this.scope);
      }
      case 'AWS::ApiGatewayV2::Api': {
        validateHttpApi(logicalId, properties);
        const port = await this.nextApiPort();
        // The endpoint is known before the server starts so that functions and outputs can refer to it.
        const identity = httpApiIdentity(logicalId, this.scope, `http://127.0.0.1:${port}`);
        this.httpApis.push({ logicalId, identity, properties, port });
        return identity;
      }
      default: {
        const identity = httpApiPartIdentity(logicalId, resource.Type, properties, this.scope);
        this.httpApiParts.push({ logicalId, type: resource.Type, properties, ref: identity.ref });
        return identity;
      }
    }
  }

  private async deployTable(
    logicalId: string,
    properties: Record<string, unknown>,
  ): Promise<ResourceIdentity> {
    const spec = tableSpec(logicalId, properties, this.scope);
    const tableName = spec.createTable.TableName!;
    const created = await ignoring(
      'ResourceInUseException',
      this.clients.dynamodb.send(new CreateTableCommand(spec.createTable)),
    );
    // A table kept in the data dir from an earlier run is reused as it is.
    const description =
      created?.TableDescription ??
      (await this.clients.dynamodb.send(new DescribeTableCommand({ TableName: tableName }))).Table;
    if (spec.timeToLiveAttribute) {
      const current = await this.clients.dynamodb.send(
        new DescribeTimeToLiveCommand({ TableName: tableName }),
      );
      if (current.TimeToLiveDescription?.TimeToLiveStatus !== 'ENABLED') {
        await this.clients.dynamodb.send(
          new UpdateTimeToLiveCommand({
            TableName: tableName,
            TimeToLiveSpecification: { AttributeName: spec.timeToLiveAttribute, Enabled: true },
          }),
        );
      }
    }
    return tableIdentity(tableName, this.scope, description?.LatestStreamArn);
  }

  private async deployQueue(
    logicalId: string,
    properties: Record<string, unknown>,
  ): Promise<ResourceIdentity> {
    const spec = queueSpec(logicalId, properties, this.scope);
    try {
      await this.clients.sqs.send(
        new CreateQueueCommand({ QueueName: spec.queueName, Attributes: spec.attributes, tags: spec.tags }),
      );
    } catch (error) {
      if ((error as Error).name !== 'QueueNameExists' && (error as Error).name !== 'QueueAlreadyExists')
        throw error;
      // A queue kept in the data dir from an earlier run takes the template's current attributes.
      const { QueueUrl } = await this.clients.sqs.send(new GetQueueUrlCommand({ QueueName: spec.queueName }));
      const { FifoQueue: _immutable, ...mutable } = spec.attributes;
      await this.clients.sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: mutable }));
    }
    return queueIdentity(spec.queueName, this.scope);
  }

  private async startHttpApis(): Promise<void> {
    for (const api of this.httpApis) {
      const spec = httpApiSpec(api.logicalId, api.identity.ref, api.properties, this.httpApiParts);
      const server = await this.services.startHttpApi(spec, api.port);
      this.stoppers.push(() => server.stop());
      const url =
        spec.stageName === '$default' ? server.url : `${server.url.replace(/\/$/, '')}/${spec.stageName}`;
      this.result.httpApis.push({ stackName: this.stack.stackName, logicalId: api.logicalId, url });
      this.options.log(`HTTP API ${this.stack.stackName}/${api.logicalId}: ${url}`);
    }
  }

  private collectOutputs(): void {
    const outputs: Record<string, unknown> = {};
    for (const [name, output] of Object.entries(this.stack.template.Outputs ?? {})) {
      if (output.Condition && resolveIntrinsics({ Condition: output.Condition }, this.context) !== true)
        continue;
      outputs[name] = resolveIntrinsics(output.Value, this.context);
      if (output.Export)
        this.exports.set(String(resolveIntrinsics(output.Export.Name, this.context)), outputs[name]);
    }
    this.result.outputs[this.stack.stackName] = outputs;
  }
}

/** Awaits a call, turning the named AWS error (the resource already exists) into `undefined`. */
async function ignoring<T>(errorName: string, call: Promise<T>): Promise<T | undefined> {
  try {
    return await call;
  } catch (error) {
    if ((error as Error).name === errorName) return undefined;
    throw error;
  }
}
