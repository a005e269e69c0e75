import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SQSClient } from '@aws-sdk/client-sqs';

/** SDK clients the deployer configures services with, pointed at the edge like any other client. */
export interface ServiceClients {
  dynamodb: DynamoDBClient;
  sqs: SQSClient;
  eventBridge: EventBridgeClient;
  stepFunctions: SFNClient;
  destroy(): void;
}

export function createServiceClients(edgeUrl: string, region: string): ServiceClients {
  // The sandbox checks no signatures, but the SDK insists on signing with something.
  const config = {
    endpoint: edgeUrl,
    region,
    credentials: { accessKeyId: 'sandbox', secretAccessKey: 'sandbox' },
  };
  const clients = {
    dynamodb: new DynamoDBClient(config),
    sqs: new SQSClient(config),
    eventBridge: new EventBridgeClient(config),
    stepFunctions: new SFNClient(config),
  };
  return {
    ...clients,
    destroy: () => {
      for (const client of Object.values(clients)) client.destroy();
    },
  };
}
