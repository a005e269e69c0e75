import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { AttributeType, ProjectionType, type Table } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus, Rule } from 'aws-cdk-lib/aws-events';
import { SqsQueue } from 'aws-cdk-lib/aws-events-targets';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { AppConfig } from '../app-config.ts';
import { QueueWithDlq, standaloneDeadLetterQueue } from '../constructs/queue-with-dlq.ts';
import { TrustgateTable } from '../constructs/trustgate-table.ts';
import {
  CONSUMER_MAX_RECEIVE_COUNT,
  EVENT_CONSUMER_IDS,
  EVENT_CONSUMERS,
  type EventConsumerId,
} from '../event-consumers.ts';

/** The consumers' and deliveries' functions time out after 30 s; SQS hides a message six times as long. */
export const CONSUMER_FUNCTION_TIMEOUT = Duration.seconds(30);
const CONSUMER_VISIBILITY_TIMEOUT = Duration.seconds(6 * CONSUMER_FUNCTION_TIMEOUT.toSeconds());

export interface StatefulStackProps extends StackProps {
  readonly config: AppConfig;
}

/** Data that must survive redeploys of compute: tables, the event bus, its rules and the queues they feed. */
export class StatefulStack extends Stack {
  /** Agents with their manifest, trust state, breaker and intent chain head. */
  readonly agentsTable: Table;
  /** Append-only intent chains, one per agent; `byIntentId` finds an intent from its id. */
  readonly intentsTable: Table;
  /** Result proofs, keyed by result hash, with their Merkle batch once sealed. */
  readonly proofsTable: Table;
  /** Workflow runs with their per-step state; `byTenant` lists a tenant's, newest first. */
  readonly workflowsTable: Table;
  /** Gate bookkeeping shared across invocations: per-tenant token buckets. */
  readonly gateStateTable: Table;
  /** Escalated steps awaiting (or past) a reviewer; `byTenantStatus` lists a tenant's by status, oldest first. */
  readonly escalationsTable: Table;
  /** Powertools idempotency records of the event consumers (one per consumer and event id, expiring). */
  readonly idempotencyTable: Table;
  /** Webhook subscriptions per tenant, with their signing secrets. */
  readonly webhooksTable: Table;
  /** Per-tenant hash-chained audit records, chain heads, event markers and Merkle checkpoints. */
  readonly auditTable: Table;
  /** Counters and histograms served by GET /metrics, and the markers of the events they counted. */
  readonly analyticsTable: Table;
  /** Alerts per tenant, newest last by id. */
  readonly alertsTable: Table;
  readonly apiKeysTable: Table;
  /** Agents' short- and long-term memories with their embeddings, one partition per agent (TTL: short-term). */
  readonly memoryTable: Table;
  /** The bus every trustgate event is put on (SPEC §5). */
  readonly eventBus: EventBus;
  /** One queue (+ DLQ) per consumer, fed by its rule. */
  readonly consumerQueues: Readonly<Record<EventConsumerId, QueueWithDlq>>;
  /** One message per webhook delivery; visibility timeouts space the retries. */
  readonly webhookDeliveries: QueueWithDlq;
  /** Events the bus kept refusing, parked by the publishers for a replay. */
  readonly undeliveredEvents: QueueWithDlq;
  /** Where EventBridge puts an event it could not deliver to a consumer's queue. */
  readonly ruleDeliveryDlq: Queue;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);
    const removalPolicy = props.config.dataRemovalPolicy;

    this.agentsTable = new TrustgateTable(this, 'AgentsTable', {
      partitionKey: { name: 'tenantId', type: AttributeType.STRING },
      sortKey: { name: 'agentId', type: AttributeType.STRING },
      removalPolicy,
    });

    this.intentsTable = new TrustgateTable(this, 'IntentsTable', {
      partitionKey: { name: 'chainKey', type: AttributeType.STRING },
      sortKey: { name: 'sequence', type: AttributeType.NUMBER },
      removalPolicy,
    });
    this.intentsTable.addGlobalSecondaryIndex({
      indexName: 'byIntentId',
      partitionKey: { name: 'intentId', type: AttributeType.STRING },
      projectionType: ProjectionType.ALL,
    });

    this.proofsTable = new TrustgateTable(this, 'ProofsTable', {
      partitionKey: { name: 'resultHash', type: AttributeType.STRING },
      removalPolicy,
    });

    this.workflowsTable = new TrustgateTable(this, 'WorkflowsTable', {
      partitionKey: { name: 'workflowId', type: AttributeType.STRING },
      removalPolicy,
    });
    // GET /v1/workflows: a tenant's workflows, newest first (ISO createdAt sorts as time).
    this.workflowsTable.addGlobalSecondaryIndex({
      indexName: 'byTenant',
      partitionKey: { name: 'tenantId', type: AttributeType.STRING },
      sortKey: { name: 'createdAt', type: AttributeType.STRING },
      projectionType: ProjectionType.ALL,
    });

    this.escalationsTable = new TrustgateTable(this, 'EscalationsTable', {
      partitionKey: { name: 'escalationId', type: AttributeType.STRING },
      removalPolicy,
    });
    this.escalationsTable.addGlobalSecondaryIndex({
      indexName: 'byTenantStatus',
      partitionKey: { name: 'tenantStatus', type: AttributeType.STRING },
      sortKey: { name: 'createdAt', type: AttributeType.STRING },
      projectionType: ProjectionType.ALL,
    });

    // Intents, proofs, workflows and escalations are records and never expire; a token bucket idle for long is
    // indistinguishable from a full one, so the gate may let DynamoDB drop it.
    this.gateStateTable = new TrustgateTable(this, 'GateStateTable', {
      partitionKey: { name: 'key', type: AttributeType.STRING },
      timeToLiveAttribute: 'expiresAt',
      removalPolicy,
    });

    this.idempotencyTable = new TrustgateTable(this, 'IdempotencyTable', {
      partitionKey: { name: 'id', type: AttributeType.STRING },
      // Powertools' attribute: records expire after the consumers' IDEMPOTENCY_EXPIRY_SECONDS.
      timeToLiveAttribute: 'expiration',
      removalPolicy,
    });
    this.webhooksTable = new TrustgateTable(this, 'WebhooksTable', {
      partitionKey: { name: 'tenantId', type: AttributeType.STRING },
      sortKey: { name: 'webhookId', type: AttributeType.STRING },
      // Only the markers of delivered events expire; subscriptions have no expiresAt.
      timeToLiveAttribute: 'expiresAt',
      removalPolicy,
    });
    this.auditTable = new TrustgateTable(this, 'AuditTable', {
      partitionKey: { name: 'chainKey', type: AttributeType.STRING },
      sortKey: { name: 'sequence', type: AttributeType.NUMBER },
      removalPolicy,
    });
    this.analyticsTable = new TrustgateTable(this, 'AnalyticsTable', {
      partitionKey: { name: 'metric', type: AttributeType.STRING },
      sortKey: { name: 'series', type: AttributeType.STRING },
      // Only the markers of counted events expire; the counters themselves have no expiresAt.
      timeToLiveAttribute: 'expiresAt',
      removalPolicy,
    });
    this.alertsTable = new TrustgateTable(this, 'AlertsTable', {
      partitionKey: { name: 'tenantId', type: AttributeType.STRING },
      sortKey: { name: 'alertId', type: AttributeType.STRING },
      removalPolicy,
    });
    // Keyed by the key's id, so the authorizer reads a key with one strongly consistent GetItem; the
    // admin routes list a tenant's keys through byTenant. Revoked keys stay, for the record.
    this.apiKeysTable = new TrustgateTable(this, 'ApiKeysTable', {
      partitionKey: { name: 'keyId', type: AttributeType.STRING },
      removalPolicy,
    });
    this.apiKeysTable.addGlobalSecondaryIndex({
      indexName: 'byTenant',
      partitionKey: { name: 'tenantId', type: AttributeType.STRING },
      sortKey: { name: 'keyId', type: AttributeType.STRING },
      projectionType: ProjectionType.ALL,
    });

    // One partition per agent (`<tenant>#<agent>`): recall reads the agent's memories with one Query and
    // scores them in the function. Only short-term memories carry expiresAt.
    this.memoryTable = new TrustgateTable(this, 'MemoryTable', {
      partitionKey: { name: 'agentKey', type: AttributeType.STRING },
      sortKey: { name: 'slot', type: AttributeType.STRING },
      timeToLiveAttribute: 'expiresAt',
      removalPolicy,
    });

    this.eventBus = new EventBus(this, 'EventBus', { eventBusName: `trustgate-${props.config.stage}` });
    const queue = (id: string, maxReceiveCount: number) =>
      new QueueWithDlq(this, id, {
        maxReceiveCount,
        visibilityTimeout: CONSUMER_VISIBILITY_TIMEOUT,
        removalPolicy,
      });
    this.ruleDeliveryDlq = standaloneDeadLetterQueue(
      this,
      'RuleDeliveryDlq',
      removalPolicy,
      'the consumer rules’ targets (DeadLetterConfig)',
    );
    const consumerQueues = {} as Record<EventConsumerId, QueueWithDlq>;
    for (const id of EVENT_CONSUMER_IDS) {
      const { pattern } = EVENT_CONSUMERS[id];
      consumerQueues[id] = queue(`${id}Events`, CONSUMER_MAX_RECEIVE_COUNT);
      new Rule(this, `${id}Rule`, {
        eventBus: this.eventBus,
        description: `trustgate events for the ${EVENT_CONSUMERS[id].consumer} consumer`,
        eventPattern: pattern,
        targets: [
          new SqsQueue(consumerQueues[id].queue, {
            deadLetterQueue: this.ruleDeliveryDlq,
            retryAttempts: 185,
            maxEventAge: Duration.hours(24),
          }),
        ],
      });
    }
    this.consumerQueues = consumerQueues;
    this.webhookDeliveries = queue(
      'WebhookDeliveries',
      props.config.events.webhookRetryDelaysSeconds.length + 1,
    );
    this.undeliveredEvents = queue('UndeliveredEvents', CONSUMER_MAX_RECEIVE_COUNT);

    new CfnOutput(this, 'EventBusName', { value: this.eventBus.eventBusName });
    new CfnOutput(this, 'AgentsTableName', { value: this.agentsTable.tableName });
    new CfnOutput(this, 'IntentsTableName', { value: this.intentsTable.tableName });
    new CfnOutput(this, 'ProofsTableName', { value: this.proofsTable.tableName });
    new CfnOutput(this, 'WorkflowsTableName', { value: this.workflowsTable.tableName });
    new CfnOutput(this, 'GateStateTableName', { value: this.gateStateTable.tableName });
    new CfnOutput(this, 'EscalationsTableName', { value: this.escalationsTable.tableName });
    new CfnOutput(this, 'IdempotencyTableName', { value: this.idempotencyTable.tableName });
    new CfnOutput(this, 'WebhooksTableName', { value: this.webhooksTable.tableName });
    new CfnOutput(this, 'AuditTableName', { value: this.auditTable.tableName });
    new CfnOutput(this, 'AnalyticsTableName', { value: this.analyticsTable.tableName });
    new CfnOutput(this, 'AlertsTableName', { value: this.alertsTable.tableName });
    new CfnOutput(this, 'ApiKeysTableName', { value: this.apiKeysTable.tableName });
    new CfnOutput(this, 'MemoryTableName', { value: this.memoryTable.tableName });
  }
}
