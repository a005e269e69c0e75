// Where the e2e suite runs, chosen from the environment as docs/sandbox.md describes:
//   API_URL set       that deployment (the sandbox started by hand, LocalStack, AWS); the AWS SDK goes
//                     wherever its own configuration says (AWS_ENDPOINT_URL, AWS_REGION, credentials)
//   API_URL unset     a sandbox started for the test file on the app built and synthesized from this
//                     checkout, with free ports
// Either way the suite gets the platform admin key (TRUSTGATE_PLATFORM_KEY, else one bootstrapped into the
// target's ApiKeysTable through the SDK, as `npm start` does), and the demo fleet is registered first in
// tenant `default` (idempotent), as `npm start` does.
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll } from 'vitest';
import { type RunningSandbox, startSandbox } from '../../../sandbox/index.ts';
import { allRolesKey, authHeaders } from '../../../scripts/api-keys-client.ts';
import { bootstrapPlatformKey, firstSandboxKeys, sandboxDynamoDb } from '../../../scripts/bootstrap-keys.ts';
import { seedDemoFleet } from '../../../scripts/demo-fleet.ts';
import { synthesizedTrustgateApp } from './synthesized-app.ts';

export interface E2eTarget {
  apiUrl: string;
  /** A DynamoDB client for the target's tables (the edge for a local sandbox). */
  dynamodb: DynamoDBClient;
  /** The AWS endpoint of a local sandbox; undefined for a deployment (the SDK's own configuration applies). */
  edgeUrl?: string;
  /** An admin key of the `platform` tenant: it makes each test tenant's keys (tenant-fleet.ts). */
  platformKey: string;
  /** The headers of a key with every role of tenant `default`, where the demo fleet is. */
  defaultHeaders: Record<string, string>;
}

/** Registers the file's beforeAll/afterAll hooks; the returned object is filled once beforeAll has run. */
export function useE2eTarget(): E2eTarget {
  const target = {} as E2eTarget;
  let sandbox: RunningSandbox | undefined;
  beforeAll(async () => {
    const deployedApiUrl = process.env.API_URL;
    if (deployedApiUrl) {
      target.apiUrl = deployedApiUrl.replace(/\/$/, '');
      target.dynamodb = new DynamoDBClient({});
      target.platformKey =
        process.env.TRUSTGATE_PLATFORM_KEY ??
        (await bootstrapPlatformKey(
          {
            dynamodb: target.dynamodb,
            table: await tableNamed(target.dynamodb, 'ApiKeysTable'),
            stage: process.env.TRUSTGATE_STAGE ?? 'dev',
          },
          'e2e-platform-admin',
        ));
    } else {
      sandbox = await startSandbox({
        assembly: await synthesizedTrustgateApp(),
        edgePort: 0,
        apiPort: 0,
        quiet: true,
      });
      if (!sandbox.apiUrl) throw new Error('the synthesized app deployed no HTTP API');
      target.apiUrl = sandbox.apiUrl;
      target.edgeUrl = sandbox.edgeUrl;
      target.dynamodb = sandboxDynamoDb(sandbox.edgeUrl);
      target.platformKey = (await firstSandboxKeys(sandbox)).platformKey;
    }
    target.defaultHeaders = authHeaders(await allRolesKey(target.apiUrl, target.platformKey, 'default'));
    await seedDemoFleet(target.apiUrl, target.defaultHeaders);
  });
  afterAll(async () => {
    target.dynamodb?.destroy();
    await sandbox?.stop();
  });
  return target;
}

/**
 * The physical name of one of the app's tables, by its construct id (`IntentsTable`): CloudFormation
 * names it `<stack>-<logicalId>-<suffix>`, and the logical id starts with the construct id. Listing works
 * the same on every target, which stack outputs would not without a CloudFormation client.
 */
export async function tableNamed(dynamodb: DynamoDBClient, constructId: string): Promise<string> {
  const stage = process.env.TRUSTGATE_STAGE ?? 'dev';
  const names: string[] = [];
  let ExclusiveStartTableName: string | undefined;
  do {
    const page = await dynamodb.send(new ListTablesCommand({ ExclusiveStartTableName }));
    names.push(...(page.TableNames ?? []));
    ExclusiveStartTableName = page.LastEvaluatedTableName;
  } while (ExclusiveStartTableName);
  const matches = names.filter(
    (name) => name.startsWith(`Trustgate-${stage}-`) && name.includes(`-${constructId}`),
  );
  if (matches.length !== 1) {
    throw new Error(
      `expected one table for ${constructId} of stage ${stage} (TRUSTGATE_STAGE), found ${matches.length}: ${names.join(', ')}`,
    );
  }
  return matches[0]!;
}
