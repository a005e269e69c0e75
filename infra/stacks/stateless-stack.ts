import { CfnOutput, Duration, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { Table } from 'aws-cdk-lib/aws-dynamodb';
import { type IEventBus, Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction as LambdaTarget } from 'aws-cdk-lib/aws-events-targets';
import { Grant, type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { ESCALATION_METRICS } from '../../functions/app/escalations/escalation-metrics.ts';
import type { AppConfig, WorkflowDefaults } from '../app-config.ts';
import { OperationalAlarms } from '../constructs/operational-alarms.ts';
import type { QueueWithDlq } from '../constructs/queue-with-dlq.ts';
import { POWERTOOLS_ENVIRONMENT, TrustgateFunction } from '../constructs/trustgate-function.ts';
import { TrustgateHttpApi } from '../constructs/trustgate-http-api.ts';
import { WorkflowStateMachine } from '../constructs/workflow-state-machine.ts';
import { EVENT_CONSUMERS, type EventConsumerId } from '../event-consumers.ts';
import { CONSUMER_FUNCTION_TIMEOUT } from './stateful-stack.ts';

export interface StatelessStackProps extends StackProps {
  readonly config: AppConfig;
  readonly tables: {
    readonly agents: Table;
    readonly intents: Table;
    readonly proofs: Table;
    readonly workflows: Table;
    readonly gateState: Table;
    readonly escalations: Table;
    readonly idempotency: Table;
    readonly webhooks: Table;
    readonly audit: Table;
    readonly analytics: Table;
    readonly alerts: Table;
    readonly apiKeys: Table;
    readonly memory: Table;
  };
  readonly events: {
    readonly bus: IEventBus;
    readonly consumerQueues: Readonly<Record<EventConsumerId, QueueWithDlq>>;
    readonly webhookDeliveries: QueueWithDlq;
    readonly undeliveredEvents: QueueWithDlq;
    readonly ruleDeliveryDlq: Queue;
  };
}

const API_TIMEOUT = Duration.seconds(10);
const API_MEMORY_MB = 512;
/** The flows' bookkeeping functions: a few DynamoDB requests each, no provider call. */
const FLOW_FUNCTION_TIMEOUT = Duration.seconds(30);

/**
 * Compute that can be replaced freely: the functions, the HTTP API and the three flows. Each
 * function is granted exactly the tables docs/backend.md says it uses, and nothing else.
 */
export class StatelessStack extends Stack {
  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { config, tables, events } = props;

    const environment = {
      AGENTS_TABLE: tables.agents.tableName,
      INTENTS_TABLE: tables.intents.tableName,
      PROOFS_TABLE: tables.proofs.tableName,
      WORKFLOWS_TABLE: tables.workflows.tableName,
      GATE_STATE_TABLE: tables.gateState.tableName,
      ESCALATIONS_TABLE: tables.escalations.tableName,
      STAGE: config.stage,
      DEFAULT_PROVIDER: config.defaultProvider,
      EVENT_BUS_NAME: events.bus.eventBusName,
      UNDELIVERED_EVENTS_QUEUE_URL: events.undeliveredEvents.queue.queueUrl,
    };
    // Every function that announces something: PutEvents on the bus, and parking what it keeps refusing.
    const grantPublishing = (grantee: IGrantable) => {
      events.bus.grantPutEventsTo(grantee);
      events.undeliveredEvents.queue.grantSendMessages(grantee);
    };
    const logs = { logRetention: config.logRetention, logRemovalPolicy: config.dataRemovalPolicy };
    // grant*Data on a table with indexes adds `<table arn>/index/*`, a wildcard cdk-nag rightly flags.
    // byIntentId is the intents table's only index and is only ever queried, so the intent writers get the
    // table itself (through a reference that knows no indexes) plus Query on that one index.
    const intentRecords = Table.fromTableArn(this, 'IntentsTableRecords', tables.intents.tableArn);
    const grantIntentChain = (grantee: IGrantable) => {
      intentRecords.grantReadWriteData(grantee);
      Grant.addToPrincipal({
        grantee,
        actions: ['dynamodb:Query'],
        resourceArns: [`${tables.intents.tableArn}/index/byIntentId`],
      });
    };
    // Likewise for escalations: the escalate function writes records by key; only the escalations API
    // lists them, through a Query on byTenantStatus.
    const escalationRecords = Table.fromTableArn(
      this,
      'EscalationsTableRecords',
      tables.escalations.tableArn,
    );
    // And for workflows: the flows and the APIs read and write them by key; only the workflows API lists a
    // tenant's, through a Query on byTenant.
    const workflowRecords = Table.fromTableArn(this, 'WorkflowsTableRecords', tables.workflows.tableArn);
    const grantEscalationsByTenantStatus = (grantee: IGrantable) =>
      Grant.addToPrincipal({
        grantee,
        actions: ['dynamodb:Query'],
        resourceArns: [`${tables.escalations.tableArn}/index/byTenantStatus`],
      });
    const flowFunction = (id: string, entry: string, description: string) =>
      new TrustgateFunction(this, id, {
        entry,
        description,
        memorySize: API_MEMORY_MB,
        timeout: FLOW_FUNCTION_TIMEOUT,
        environment,
        ...logs,
      });

    // The API's rate limit (docs/backend.md "Rate limits"): every API function takes each request's token
    // from its tenant's `api-bucket#<tenantId>` item with one conditional UpdateItem, and may touch no
    // other item of GateStateTable (not the gate's step buckets, breakers or plans).
    const grantApiRequestBucket = (grantee: IGrantable) =>
      Grant.addToPrincipal({
        grantee,
        actions: ['dynamodb:UpdateItem'],
        resourceArns: [tables.gateState.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['api-bucket#*'] } },
      });
    // The tenants' rate-limit plans, `plan#<tenantId>`: read by the authorizer, set by the keys API.
    const grantTenantPlans = (grantee: IGrantable, ...actions: string[]) =>
      Grant.addToPrincipal({
        grantee,
        actions,
        resourceArns: [tables.gateState.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['plan#*'] } },
      });

    // Backpressure (functions/app/workflows/workflow-queue.ts): a workflow takes its tenant's open-workflow
    // slot `queue#<tenantId>` when it starts and gives it back when it ends, nothing else of GateStateTable.
    const grantWorkflowQueue = (grantee: IGrantable) =>
      Grant.addToPrincipal({
        grantee,
        actions: ['dynamodb:UpdateItem'],
        resourceArns: [tables.gateState.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['queue#*'] } },
      });

    // Memory (docs/backend.md "Memory"): the gate recalls and remembers, the memories API serves the routes.
    const memoryEnvironment = {
      MEMORY_TABLE: tables.memory.tableName,
      EMBEDDER: JSON.stringify(config.embedder),
    };
    // Only a Bedrock embedder needs a grant, and only on the one model the config names.
    const grantEmbedder = (fn: TrustgateFunction) => {
      const { embedder } = config;
      if (embedder.kind !== 'bedrock') return;
      fn.function.addToRolePolicy(
        new PolicyStatement({
          actions: ['bedrock:InvokeModel'],
          resources: [
            `arn:${this.partition}:bedrock:${embedder.region ?? this.region}::foundation-model/${embedder.modelId}`,
          ],
        }),
      );
    };

    // The workflow steps, invoked by the state machines.
    const gate = new TrustgateFunction(this, 'Gate', {
      entry: 'workflow/gate',
      description: 'Runs one workflow step behind the trust gate: intent, decision, provider call, proof',
      // Cedar's WebAssembly and the tokenizer load faster with the CPU share of 1 GB.
      memorySize: 1024,
      // Above the largest per-decision provider timeout (T5: 120 s) plus the gate's own bookkeeping, so
      // a slow provider call ends as a recorded breaker failure rather than a killed invocation.
      timeout: Duration.seconds(130),
      environment: { ...environment, ...memoryEnvironment },
      ...logs,
    });
    for (const table of [workflowRecords, tables.agents, tables.proofs, tables.gateState, tables.memory])
      table.grantReadWriteData(gate.function);
    grantEmbedder(gate);
    grantIntentChain(gate.function);
    grantPublishing(gate.function);
    gate.function.addToRolePolicy(
      new PolicyStatement({
        actions: ['bedrock:InvokeModel'],
        // Agents choose their Bedrock model at registration, so the gate may call any foundation model,
        // directly or through one of this account's cross-region inference profiles; nothing else.
        resources: [
          `arn:${this.partition}:bedrock:*::foundation-model/*`,
          `arn:${this.partition}:bedrock:*:${this.account}:inference-profile/*`,
        ],
      }),
    );
    for (const resource of [
      'arn:<AWS::Partition>:bedrock:*::foundation-model/*',
      'arn:<AWS::Partition>:bedrock:*:<AWS::AccountId>:inference-profile/*',
    ])
      Validations.of(gate).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${resource}]`,
        reason:
          'The Bedrock model is per-agent configuration chosen at registration, not known at deploy time; the ' +
          'grant is bedrock:InvokeModel only, on foundation models and this account’s inference profiles.',
      });

    const finish = flowFunction(
      'Finish',
      'workflow/finish',
      'Seals a workflow run: Merkle batch of its proofs, SUCCEEDED, FAILED or COMPENSATED',
    );
    workflowRecords.grantReadWriteData(finish.function);
    tables.proofs.grantReadWriteData(finish.function);
    grantWorkflowQueue(finish.function);
    grantPublishing(finish.function);

    const route = flowFunction(
      'Route',
      'workflow/route',
      'Routes a role step to the best qualified agent by trust, or queues it while nobody qualifies',
    );
    tables.agents.grantReadData(route.function);
    workflowRecords.grantReadWriteData(route.function);

    const decompose = flowFunction(
      'Decompose',
      'workflow/decompose',
      'Splits a parallel workflow’s task into one sub-task per step',
    );
    workflowRecords.grantReadWriteData(decompose.function);

    const recordStepFailure = flowFunction(
      'RecordStepFailure',
      'workflow/record-step-failure',
      'Records a workflow step FAILED with the error that failed it',
    );
    workflowRecords.grantReadWriteData(recordStepFailure.function);

    const escalate = flowFunction(
      'Escalate',
      'workflow/escalate',
      'Opens or raises the escalation of a step and parks its task token until a reviewer answers',
    );
    workflowRecords.grantReadWriteData(escalate.function);
    escalationRecords.grantReadWriteData(escalate.function);
    grantPublishing(escalate.function);

    const planCompensation = flowFunction(
      'PlanCompensation',
      'workflow/plan-compensation',
      'Lists the succeeded steps of a failed saga to undo, last first',
    );
    workflowRecords.grantReadData(planCompensation.function);

    const compensate = flowFunction(
      'Compensate',
      'workflow/compensate',
      'Undoes one succeeded step of a saga',
    );
    workflowRecords.grantReadWriteData(compensate.function);

    // The gated step (route → gate → escalation loop → failure recording) is part of every flow.
    const gatedStep = {
      Gate: gate.function,
      Route: route.function,
      Escalate: escalate.function,
      RecordStepFailure: recordStepFailure.function,
    };
    const flowProps = { stage: config.stage, ...logs };
    const sequentialPipeline = new WorkflowStateMachine(this, 'SequentialPipeline', {
      flow: 'sequential-pipeline',
      functions: { ...gatedStep, Finish: finish.function },
      ...flowProps,
    });
    const parallelFanout = new WorkflowStateMachine(this, 'ParallelFanout', {
      flow: 'parallel-fanout',
      functions: { ...gatedStep, Decompose: decompose.function, Finish: finish.function },
      ...flowProps,
    });
    const saga = new WorkflowStateMachine(this, 'Saga', {
      flow: 'saga',
      functions: {
        ...gatedStep,
        Finish: finish.function,
        PlanCompensation: planCompensation.function,
        Compensate: compensate.function,
      },
      ...flowProps,
    });
    const flows = [sequentialPipeline, parallelFanout, saga].map((flow) => flow.stateMachine);

    // The API handlers.
    const agentsApi = new TrustgateFunction(this, 'AgentsApi', {
      entry: 'api/agents',
      description: 'Agent registry and trust ledger: register, list, read',
      memorySize: API_MEMORY_MB,
      timeout: API_TIMEOUT,
      environment,
      ...logs,
    });
    tables.agents.grantReadWriteData(agentsApi.function);

    const memoriesApi = new TrustgateFunction(this, 'MemoriesApi', {
      entry: 'api/memories',
      description: 'Agent memory: remember, recall by ranking, forget',
      // The tokenizer and the scoring of up to 11 000 vectors per recall want the CPU share of 1 GB.
      memorySize: 1024,
      timeout: API_TIMEOUT,
      environment: { ...environment, ...memoryEnvironment },
      ...logs,
    });
    tables.agents.grantReadData(memoriesApi.function);
    tables.memory.grantReadWriteData(memoriesApi.function);
    grantEmbedder(memoriesApi);

    const intentsApi = new TrustgateFunction(this, 'IntentsApi', {
      entry: 'api/intents',
      description: 'Intent engine: declare and decide an intent, verify an agent chain',
      memorySize: API_MEMORY_MB,
      timeout: API_TIMEOUT,
      environment,
      ...logs,
    });
    // Appending an intent writes the record and the agent's chain head in one transaction.
    tables.agents.grantReadWriteData(intentsApi.function);
    grantIntentChain(intentsApi.function);

    const proofsApi = new TrustgateFunction(this, 'ProofsApi', {
      entry: 'api/proofs',
      description: 'Proof lookup with Merkle path and root',
      memorySize: API_MEMORY_MB,
      timeout: API_TIMEOUT,
      environment,
      ...logs,
    });
    tables.proofs.grantReadData(proofsApi.function);

    const workflowsApi = new TrustgateFunction(this, 'WorkflowsApi', {
      entry: 'api/workflows',
      description: 'Starts workflow runs and reports their status',
      memorySize: API_MEMORY_MB,
      timeout: API_TIMEOUT,
      environment: {
        ...environment,
        SEQUENTIAL_STATE_MACHINE_ARN: sequentialPipeline.stateMachine.stateMachineArn,
        PARALLEL_STATE_MACHINE_ARN: parallelFanout.stateMachine.stateMachineArn,
        SAGA_STATE_MACHINE_ARN: saga.stateMachine.stateMachineArn,
        ...workflowDefaultsEnvironment(config.workflowDefaults),
      },
      ...logs,
    });
    workflowRecords.grantReadWriteData(workflowsApi.function);
    Grant.addToPrincipal({
      grantee: workflowsApi.function,
      actions: ['dynamodb:Query'],
      resourceArns: [`${tables.workflows.tableArn}/index/byTenant`],
    });
    tables.agents.grantReadData(workflowsApi.function);
    for (const flow of flows) flow.grantStartExecution(workflowsApi.function);
    grantWorkflowQueue(workflowsApi.function);
    grantPublishing(workflowsApi.function);

    const escalationsApi = new TrustgateFunction(this, 'EscalationsApi', {
      entry: 'api/escalations',
      description: 'Escalations: list and read, approve or reject (answers the waiting workflow step)',
      memorySize: API_MEMORY_MB,
      timeout: API_TIMEOUT,
      environment,
      ...logs,
    });
    // Approving or rejecting updates the escalation and the workflow's step in one transaction.
    escalationRecords.grantReadWriteData(escalationsApi.function);
    grantEscalationsByTenantStatus(escalationsApi.function);
    workflowRecords.grantReadWriteData(escalationsApi.function);
    for (const flow of flows) flow.grantTaskResponse(escalationsApi.function);
    grantPublishing(escalationsApi.function);

    // The event consumers (SPEC §5): each reads its own queue, fed by its rule in the stateful stack, in
    // batches with partial batch responses; failures are retried with backoff (visibility) and end in the
    // queue's DLQ, malformed events go there at once.
    const consumerFunction = (
      id: EventConsumerId,
      description: string,
      environment: Record<string, string>,
    ): TrustgateFunction => {
      const { queue, deadLetterQueue } = events.consumerQueues[id];
      const consumer = new TrustgateFunction(this, id, {
        entry: `consumers/${EVENT_CONSUMERS[id].consumer}`,
        description,
        memorySize: API_MEMORY_MB,
        timeout: CONSUMER_FUNCTION_TIMEOUT,
        environment: {
          STAGE: config.stage,
          ...environment,
          IDEMPOTENCY_TABLE: tables.idempotency.tableName,
          CONSUMER_QUEUE_URL: queue.queueUrl,
          CONSUMER_DLQ_URL: deadLetterQueue.queueUrl,
          CONSUMER_RETRY_BASE_SECONDS: String(config.events.consumerRetryBaseSeconds),
        },
        ...logs,
      });
      consumer.function.addEventSource(
        new SqsEventSource(queue, { batchSize: 10, reportBatchItemFailures: true }),
      );
      // Its own idempotency records only: Powertools keys them `trustgate.<consumer>#<hash of eventId>`
      // (functions/events/event-consumer.ts), so one consumer cannot mark another's event as done.
      consumer.function.addToRolePolicy(
        new PolicyStatement({
          actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
          resources: [tables.idempotency.tableArn],
          conditions: {
            'ForAllValues:StringLike': {
              'dynamodb:LeadingKeys': [`trustgate.${EVENT_CONSUMERS[id].consumer}#*`],
            },
          },
        }),
      );
      deadLetterQueue.grantSendMessages(consumer.function);
      return consumer;
    };
    const publishingEnvironment = {
      EVENT_BUS_NAME: events.bus.eventBusName,
      UNDELIVERED_EVENTS_QUEUE_URL: events.undeliveredEvents.queue.queueUrl,
      STAGE: config.stage,
    };

    const trustCalculator = consumerFunction(
      'TrustCalculator',
      'Applies behavioral and compliance signals to agents’ trust; emits trust.changed / tier_changed / violation',
      { ...publishingEnvironment, AGENTS_TABLE: tables.agents.tableName },
    );
    tables.agents.grantReadWriteData(trustCalculator.function);
    grantPublishing(trustCalculator.function);

    const webhookSettings = {
      WEBHOOKS_TABLE: tables.webhooks.tableName,
      WEBHOOK_DELIVERY_QUEUE_URL: events.webhookDeliveries.queue.queueUrl,
      WEBHOOK_DLQ_URL: events.webhookDeliveries.deadLetterQueue.queueUrl,
      WEBHOOK_ALLOW_PRIVATE_URLS: String(config.events.webhookAllowPrivateUrls),
      STAGE: config.stage,
    };
    const webhookDispatcher = consumerFunction(
      'WebhookDispatcher',
      'Matches every event against the tenant’s webhook filters; queues one delivery per match',
      // It reads subscriptions and queues deliveries; the DLQ and the URL policy are the delivery worker's.
      {
        WEBHOOKS_TABLE: tables.webhooks.tableName,
        WEBHOOK_DELIVERY_QUEUE_URL: events.webhookDeliveries.queue.queueUrl,
      },
    );
    tables.webhooks.grantReadData(webhookDispatcher.function);
    events.webhookDeliveries.queue.grantSendMessages(webhookDispatcher.function);

    const webhookDelivery = new TrustgateFunction(this, 'WebhookDelivery', {
      entry: 'consumers/webhook-delivery',
      description:
        'Delivers signed webhooks (Standard Webhooks); retries 5, 15, 45, 135, 405 s, then the DLQ',
      memorySize: API_MEMORY_MB,
      timeout: CONSUMER_FUNCTION_TIMEOUT,
      environment: {
        ...publishingEnvironment,
        ...webhookSettings,
        WEBHOOK_RETRY_DELAYS_SECONDS: config.events.webhookRetryDelaysSeconds.join(','),
        WEBHOOK_TIMEOUT_MS: '10000',
        WEBHOOK_DISABLE_AFTER_SECONDS: String(5 * 24 * 3600),
      },
      ...logs,
    });
    webhookDelivery.function.addEventSource(
      new SqsEventSource(events.webhookDeliveries.queue, { batchSize: 10, reportBatchItemFailures: true }),
    );
    tables.webhooks.grantReadWriteData(webhookDelivery.function);
    events.webhookDeliveries.deadLetterQueue.grantSendMessages(webhookDelivery.function);
    grantPublishing(webhookDelivery.function);

    const analytics = consumerFunction(
      'Analytics',
      'Counts every event into counters and latency histograms for GET /metrics',
      { ANALYTICS_TABLE: tables.analytics.tableName },
    );
    tables.analytics.grantReadWriteData(analytics.function);

    const auditLogger = consumerFunction(
      'AuditLogger',
      'Appends every event to the tenant’s hash-chained audit log, with Merkle checkpoints',
      { AUDIT_TABLE: tables.audit.tableName },
    );
    // Append-only by policy too: the logger reads the head and the records it checkpoints and puts new
    // items under conditions; it can neither update nor delete what the trail already holds.
    tables.audit.grant(auditLogger.function, 'dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem');

    const alertService = consumerFunction(
      'AlertService',
      'Turns circuit openings, tier drops, escalation timeouts, DLQ backlogs and budget overruns into alerts',
      { ...publishingEnvironment, ALERTS_TABLE: tables.alerts.tableName },
    );
    tables.alerts.grantReadWriteData(alertService.function);
    grantPublishing(alertService.function);

    // Scheduled work: the DLQ monitor every minute (alerts on any backlog), the decay sweep every hour.
    const monitoredDeadLetterQueues = {
      ...Object.fromEntries(
        Object.entries(events.consumerQueues).map(([id, queues]) => [
          EVENT_CONSUMERS[id as EventConsumerId].consumer,
          queues.deadLetterQueue,
        ]),
      ),
      'webhook-deliveries': events.webhookDeliveries.deadLetterQueue,
      'undelivered-events': events.undeliveredEvents.queue,
      // Where an undelivered event lands when even replaying it keeps failing: the last place one could be lost.
      'undelivered-events-dlq': events.undeliveredEvents.deadLetterQueue,
      'rule-delivery': events.ruleDeliveryDlq,
    };
    const dlqMonitor = new TrustgateFunction(this, 'DlqMonitor', {
      entry: 'scheduled/dlq-monitor',
      description: 'Raises dlq.not_empty for every dead-letter queue holding messages',
      memorySize: API_MEMORY_MB,
      timeout: FLOW_FUNCTION_TIMEOUT,
      environment: {
        ...publishingEnvironment,
        ALERTS_TABLE: tables.alerts.tableName,
        MONITORED_DLQ_URLS: Stack.of(this).toJsonString(
          Object.fromEntries(
            Object.entries(monitoredDeadLetterQueues).map(([name, queue]) => [name, queue.queueUrl]),
          ),
        ),
      },
      ...logs,
    });
    for (const queue of Object.values(monitoredDeadLetterQueues))
      queue.grant(dlqMonitor.function, 'sqs:GetQueueAttributes');
    tables.alerts.grantReadWriteData(dlqMonitor.function);
    grantPublishing(dlqMonitor.function);
    new Rule(this, 'DlqMonitorSchedule', {
      description: 'Checks the dead-letter queues every minute',
      schedule: Schedule.rate(Duration.minutes(1)),
      targets: [new LambdaTarget(dlqMonitor.function)],
    });

    const decaySweep = new TrustgateFunction(this, 'DecaySweep', {
      entry: 'scheduled/decay-sweep',
      description: 'Applies inactivity decay to every agent and announces the trust changes it causes',
      memorySize: API_MEMORY_MB,
      timeout: Duration.minutes(5),
      environment: { ...publishingEnvironment, AGENTS_TABLE: tables.agents.tableName },
      ...logs,
    });
    tables.agents.grantReadWriteData(decaySweep.function);
    grantPublishing(decaySweep.function);
    new Rule(this, 'DecaySweepSchedule', {
      description: 'Runs the trust decay sweep every hour',
      schedule: Schedule.rate(Duration.hours(1)),
      targets: [new LambdaTarget(decaySweep.function)],
    });

    // The API of the events half. Each takes its requests' tokens from GateStateTable
    // (grantApiRequestBucket below), and so gets its name.
    const rateLimited = { GATE_STATE_TABLE: tables.gateState.tableName };
    const apiFunction = (
      id: string,
      entry: string,
      description: string,
      environment: Record<string, string>,
    ) =>
      new TrustgateFunction(this, id, {
        entry,
        description,
        memorySize: API_MEMORY_MB,
        timeout: API_TIMEOUT,
        environment: { STAGE: config.stage, ...environment },
        ...logs,
      });
    const eventsApi = apiFunction(
      'EventsApi',
      'api/events',
      'Ingests a client’s execution and compliance events; replays the consumers’ dead-letter queues',
      {
        ...publishingEnvironment,
        ...rateLimited,
        AGENTS_TABLE: tables.agents.tableName,
        CONSUMER_QUEUES: Stack.of(this).toJsonString(
          Object.fromEntries(
            Object.entries(events.consumerQueues).map(([id, queues]) => [
              EVENT_CONSUMERS[id as EventConsumerId].consumer,
              { queueUrl: queues.queue.queueUrl, deadLetterQueueUrl: queues.deadLetterQueue.queueUrl },
            ]),
          ),
        ),
      },
    );
    tables.agents.grantReadData(eventsApi.function);
    grantPublishing(eventsApi.function);
    for (const queues of Object.values(events.consumerQueues)) {
      queues.deadLetterQueue.grantConsumeMessages(eventsApi.function);
      queues.queue.grantSendMessages(eventsApi.function);
    }
    events.undeliveredEvents.queue.grantConsumeMessages(eventsApi.function);
    const webhooksApi = apiFunction(
      'WebhooksApi',
      'api/webhooks',
      'Webhook subscriptions (secret shown once) and the delivery DLQ redrive',
      { ...webhookSettings, ...rateLimited },
    );
    tables.webhooks.grantReadWriteData(webhooksApi.function);
    events.webhookDeliveries.deadLetterQueue.grantConsumeMessages(webhooksApi.function);
    events.webhookDeliveries.queue.grantSendMessages(webhooksApi.function);
    const auditApi = apiFunction('AuditApi', 'api/audit', 'Audit trail and its verification', {
      AUDIT_TABLE: tables.audit.tableName,
      ...rateLimited,
    });
    tables.audit.grantReadData(auditApi.function);
    const alertsApi = apiFunction('AlertsApi', 'api/alerts', 'Stored alerts, newest first', {
      ALERTS_TABLE: tables.alerts.tableName,
      ...rateLimited,
    });
    tables.alerts.grantReadData(alertsApi.function);
    const metricsApi = apiFunction(
      'MetricsApi',
      'api/metrics',
      'Prometheus text exposition of the analytics',
      {
        ANALYTICS_TABLE: tables.analytics.tableName,
        ...rateLimited,
      },
    );
    tables.analytics.grantReadData(metricsApi.function);

    // The probes (docs/backend.md "Health probes"), unauthenticated: readiness describes every table and
    // reads the depth of the queues work waits in, and may do nothing else (no item, no message).
    const readinessQueues: Record<string, Queue> = {
      ...Object.fromEntries(
        Object.entries(events.consumerQueues).map(([id, queues]) => [
          EVENT_CONSUMERS[id as EventConsumerId].consumer,
          queues.queue,
        ]),
      ),
      'webhook-deliveries': events.webhookDeliveries.queue,
    };
    const healthApi = apiFunction(
      'HealthApi',
      'api/health',
      'Liveness (memory) and readiness (DynamoDB, SQS, queue backlog, policies) probes',
      {
        READINESS_TABLES: Stack.of(this).toJsonString(
          Object.fromEntries(Object.entries(tables).map(([name, table]) => [name, table.tableName])),
        ),
        READINESS_QUEUES: Stack.of(this).toJsonString(
          Object.fromEntries(Object.entries(readinessQueues).map(([name, queue]) => [name, queue.queueUrl])),
        ),
      },
    );
    // On the tables themselves: Table.grant would add `<table>/index/*` for the tables with indexes.
    Grant.addToPrincipal({
      grantee: healthApi.function,
      actions: ['dynamodb:DescribeTable'],
      resourceArns: Object.values(tables).map((table) => table.tableArn),
    });
    for (const queue of Object.values(readinessQueues))
      queue.grant(healthApi.function, 'sqs:GetQueueAttributes');

    // Identity (docs/backend.md "Identity and access"): the authorizer reads a key by id, strongly
    // consistent; the keys API also lists a tenant's keys through byTenant. As for intents, a reference that
    // knows no indexes keeps `<table>/index/*` out of the key grants.
    const apiKeyRecords = Table.fromTableArn(this, 'ApiKeysTableRecords', tables.apiKeys.tableArn);
    const authorizer = apiFunction(
      'ApiKeyAuthorizer',
      'api/authorizer',
      'API-key authorizer of the HTTP API: the key’s tenant, roles, reviewer level and rate-limit plan',
      // GateStateTable for the tenant's plan (`plan#<tenantId>`).
      { API_KEYS_TABLE: tables.apiKeys.tableName, GATE_STATE_TABLE: tables.gateState.tableName },
    );
    apiKeyRecords.grant(authorizer.function, 'dynamodb:GetItem');
    grantTenantPlans(authorizer.function, 'dynamodb:GetItem');
    const apiKeysApi = apiFunction(
      'ApiKeysApi',
      'api/api-keys',
      'API keys: create (the key shown once), list, read, revoke; tenants’ rate-limit plans',
      { API_KEYS_TABLE: tables.apiKeys.tableName, ...rateLimited },
    );
    apiKeyRecords.grant(apiKeysApi.function, 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem');
    grantTenantPlans(apiKeysApi.function, 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem');
    Grant.addToPrincipal({
      grantee: apiKeysApi.function,
      actions: ['dynamodb:Query'],
      resourceArns: [`${tables.apiKeys.tableArn}/index/byTenant`],
    });

    const api = new TrustgateHttpApi(this, 'HttpApi', {
      apiName: `trustgate-${config.stage}`,
      throttle: config.apiThrottle,
      authorizer: authorizer.function,
      authorizerCacheSeconds: config.apiKeyCacheSeconds,
      ...logs,
    });
    api.addLambdaRoutes('ApiKeysIntegration', apiKeysApi.function, [
      'POST /v1/api-keys',
      'GET /v1/api-keys',
      'GET /v1/api-keys/{keyId}',
      'DELETE /v1/api-keys/{keyId}',
      'GET /v1/tenants/{tenantId}/plan',
      'PUT /v1/tenants/{tenantId}/plan',
    ]);
    api.addLambdaRoutes('AgentsIntegration', agentsApi.function, [
      'POST /v1/agents',
      'GET /v1/agents',
      'GET /v1/agents/{id}',
    ]);
    api.addLambdaRoutes('MemoriesIntegration', memoriesApi.function, [
      'POST /v1/agents/{id}/memories',
      'GET /v1/agents/{id}/memories',
      'DELETE /v1/agents/{id}/memories/{memoryId}',
    ]);
    api.addLambdaRoutes('IntentsIntegration', intentsApi.function, [
      'POST /v1/intents',
      'GET /v1/agents/{id}/intents/verify',
    ]);
    api.addLambdaRoutes('ProofsIntegration', proofsApi.function, ['GET /v1/proofs/{hash}']);
    api.addLambdaRoutes('WorkflowsIntegration', workflowsApi.function, [
      'POST /v1/workflows',
      'GET /v1/workflows',
      'GET /v1/workflows/{id}',
    ]);
    api.addLambdaRoutes('EscalationsIntegration', escalationsApi.function, [
      'GET /v1/escalations',
      'GET /v1/escalations/{id}',
      'POST /v1/escalations/{id}/approve',
      'POST /v1/escalations/{id}/reject',
    ]);

    api.addLambdaRoutes('EventsIntegration', eventsApi.function, [
      'POST /v1/events',
      'POST /v1/events/redrive',
    ]);
    api.addLambdaRoutes('WebhooksIntegration', webhooksApi.function, [
      'POST /v1/webhooks',
      'GET /v1/webhooks',
      'GET /v1/webhooks/{id}',
      'DELETE /v1/webhooks/{id}',
      'POST /v1/webhooks/redrive',
    ]);
    api.addLambdaRoutes('AuditIntegration', auditApi.function, ['GET /v1/audit', 'GET /v1/audit/verify']);
    api.addLambdaRoutes('AlertsIntegration', alertsApi.function, ['GET /v1/alerts']);
    api.addLambdaRoutes('MetricsIntegration', metricsApi.function, ['GET /metrics']);
    api.addPublicLambdaRoutes('HealthIntegration', healthApi.function, [
      'GET /health',
      'GET /ready',
      'GET /openapi.json',
    ]);

    // Operability (docs/backend.md "Alarms"): every function is listed here by name, and the infra tests
    // check that none is missing, so a new function gets its throttle alarm.
    const alarms = new OperationalAlarms(this, 'OperationalAlarms', {
      stage: config.stage,
      topicName: config.alarmTopicName,
      deadLetterQueues: monitoredDeadLetterQueues,
      httpApi: { apiId: api.api.apiId, stageName: api.stage.stageName },
      functions: Object.fromEntries(
        [
          gate,
          finish,
          route,
          decompose,
          recordStepFailure,
          escalate,
          planCompensation,
          compensate,
          agentsApi,
          memoriesApi,
          intentsApi,
          proofsApi,
          workflowsApi,
          escalationsApi,
          trustCalculator,
          webhookDispatcher,
          webhookDelivery,
          analytics,
          auditLogger,
          alertService,
          dlqMonitor,
          decaySweep,
          eventsApi,
          webhooksApi,
          auditApi,
          alertsApi,
          metricsApi,
          healthApi,
          authorizer,
          apiKeysApi,
        ].map((fn) => [fn.node.id, fn.function]),
      ),
      stateMachines: {
        'sequential-pipeline': sequentialPipeline.stateMachine,
        'parallel-fanout': parallelFanout.stateMachine,
        saga: saga.stateMachine,
      },
      escalationTimeouts: {
        namespace: POWERTOOLS_ENVIRONMENT.POWERTOOLS_METRICS_NAMESPACE,
        service: POWERTOOLS_ENVIRONMENT.POWERTOOLS_SERVICE_NAME,
        metricName: ESCALATION_METRICS.timedOut,
      },
    });
    for (const apiFunction of [
      agentsApi,
      memoriesApi,
      intentsApi,
      proofsApi,
      workflowsApi,
      escalationsApi,
      eventsApi,
      webhooksApi,
      auditApi,
      alertsApi,
      metricsApi,
      apiKeysApi,
    ])
      grantApiRequestBucket(apiFunction.function);

    new CfnOutput(this, 'AlarmTopicArn', { value: alarms.topic.topicArn });

    new CfnOutput(this, 'ApiUrl', { value: api.api.apiEndpoint });
    new CfnOutput(this, 'SequentialPipelineArn', { value: sequentialPipeline.stateMachine.stateMachineArn });
    new CfnOutput(this, 'ParallelFanoutArn', { value: parallelFanout.stateMachine.stateMachineArn });
    new CfnOutput(this, 'SagaArn', { value: saga.stateMachine.stateMachineArn });
  }
}

/** The workflows API's defaults for POST /v1/workflows (docs/backend.md "Environment"). */
function workflowDefaultsEnvironment(defaults: WorkflowDefaults): Record<string, string> {
  return {
    ESCALATION_SLA_SECONDS: String(defaults.escalationSlaSeconds),
    ESCALATION_MAX_LEVEL: String(defaults.escalationMaxLevel),
    QUEUE_MAX_ATTEMPTS: String(defaults.queueMaxAttempts),
    QUEUE_DELAY_SECONDS: String(defaults.queueDelaySeconds),
    QUEUE_BACKOFF_RATE: String(defaults.queueBackoffRate),
    QUEUE_MAX_DELAY_SECONDS: String(defaults.queueMaxDelaySeconds),
    PARALLEL_MAX_CONCURRENCY: String(defaults.parallelMaxConcurrency),
  };
}
