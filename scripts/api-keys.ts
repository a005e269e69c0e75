// `npm run api-keys -- bootstrap --table <ApiKeysTableName> [--stage <stage>]`: makes a deployment's first
// platform admin key, straight into its ApiKeysTable with the AWS credentials of the shell (the stack output
// `ApiKeysTableName` names the table), and prints it once. Every other key is made with it through
// POST /v1/api-keys. `npm start` does the same for the sandbox by itself.

import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { bootstrapPlatformKey } from './bootstrap-keys.ts';

const USAGE =
  'usage: npm run api-keys -- bootstrap --table <ApiKeysTableName> [--stage <stage>] [--name <name>]';

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { table: { type: 'string' }, stage: { type: 'string' }, name: { type: 'string' } },
  });
  if (positionals.length !== 1 || positionals[0] !== 'bootstrap' || !values.table) throw new Error(USAGE);
  const dynamodb = new DynamoDBClient({});
  try {
    const key = await bootstrapPlatformKey(
      { dynamodb, table: values.table, stage: values.stage ?? 'dev' },
      values.name ?? 'platform-admin',
    );
    console.log(key);
    console.error('the platform admin key above is shown only now: keep it in a secret store');
  } finally {
    dynamodb.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(`api-keys: ${(error as Error).message}`);
  process.exit(1);
});
