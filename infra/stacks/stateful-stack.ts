import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { AttributeType, ProjectionType, type Table } from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import type { AppConfig } from '../app-config.ts';
import { TrustgateTable } from '../constructs/trustgate-table.ts';

export interface StatefulStackProps extends StackProps {
  readonly config: AppConfig;
}

/** Data that must survive redeploys of compute: tables (later queues and the event bus). */
export class StatefulStack extends Stack {
  /** Agents with their manifest, trust state, breaker and intent chain head. */
  readonly agentsTable: Table;
  /** Append-only intent chains, one per agent; `byIntentId` finds an intent from its id. */
  readonly intentsTable: Table;
  /** Result proofs, keyed by result hash, with their Merkle batch once sealed. */
  readonly proofsTable: Table;
  /** Workflow runs with their per-step state. */
  readonly workflowsTable: Table;
  /** Gate bookkeeping shared across invocations: per-tenant token buckets. */
  readonly gateStateTable: Table;
  /** Escalated steps awaiting (or past) a reviewer; `byTenantStatus` lists a tenant's by status, oldest first. */
  readonly escalationsTable: Table;

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

    new CfnOutput(this, 'AgentsTableName', { value: this.agentsTable.tableName });
    new CfnOutput(this, 'IntentsTableName', { value: this.intentsTable.tableName });
    new CfnOutput(this, 'ProofsTableName', { value: this.proofsTable.tableName });
    new CfnOutput(this, 'WorkflowsTableName', { value: this.workflowsTable.tableName });
    new CfnOutput(this, 'GateStateTableName', { value: this.gateStateTable.tableName });
    new CfnOutput(this, 'EscalationsTableName', { value: this.escalationsTable.tableName });
  }
}
