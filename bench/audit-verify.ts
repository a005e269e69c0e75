// Audit trail verification (GET /v1/audit/verify) against DynamoDB Local, at 10 000 and 100 000 records:
//   full         every record re-read and re-hashed, range after range (fromSequence/nextSequence, as a
//                client does: MAX_FULL_VERIFY_RECORDS per request), every checkpoint's Merkle root rechecked
//   checkpoints  the chain of checkpoints, and the records after the last one only
// Baseline: full, measured in the same run on the same table; the ratio says what checkpoints save.
// Trails are seeded with BatchWriteItem (valid pre-built records, checkpoints and head), not appended one by
// one through the logger. Figures are printed, never asserted.
//
// Standalone: `npx tsx bench/audit-verify.ts [records…]` (default 10000 100000).
import { pathToFileURL } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { MAX_FULL_VERIFY_RECORDS } from '../functions/app/audit/audit-trail-config.ts';
import { type AuditVerification, verifyAuditTrail } from '../functions/app/audit/verify-audit-trail.ts';
import { CHECKPOINT_INTERVAL } from '../functions/core/audit/audit-checkpoint.ts';
import { startDynamoDbLocal } from '../sandbox/emulators/dynamodb-local.ts';
import { seedAuditTrail } from '../test/integration/audit/audit-test-events.ts';
import { createTables } from '../test/support/dynamodb-tables.ts';
import { formatFigure } from './measure.ts';

const DEFAULT_SIZES = [10_000, 100_000];

interface VerifyRun {
  millis: number;
  requests: number;
  records: number;
  valid: boolean;
}

export async function runAuditVerifyBenchmark(sizes: readonly number[] = DEFAULT_SIZES): Promise<void> {
  const emulator = await startDynamoDbLocal({ port: 0 });
  const client = new DynamoDBClient({
    endpoint: emulator.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
  });
  const documents = DynamoDBDocumentClient.from(client);
  const table = `bench-audit-${Date.now().toString(36)}`;
  try {
    await createTables(client, { audit: table });
    const store = {
      client: documents,
      table,
      checkpointInterval: CHECKPOINT_INTERVAL,
      maxRecords: MAX_FULL_VERIFY_RECORDS,
    };
    const verifyAll = async (tenantId: string, mode: 'full' | 'checkpoints'): Promise<VerifyRun> => {
      const started = performance.now();
      let requests = 0;
      let records = 0;
      let valid = true;
      let fromSequence: number | undefined;
      do {
        const answer: AuditVerification = await verifyAuditTrail(store, tenantId, { mode, fromSequence });
        requests++;
        records += answer.checked.records;
        valid &&= answer.valid;
        fromSequence = answer.nextSequence ?? undefined;
        mode = 'full';
      } while (fromSequence !== undefined);
      return { millis: performance.now() - started, requests, records, valid };
    };
    console.log(
      `audit verification, DynamoDB Local, checkpoint every ${CHECKPOINT_INTERVAL}, ≤ ${MAX_FULL_VERIFY_RECORDS} records per full request`,
    );
    console.log(
      `  ${'records'.padStart(8)}  ${'seed'.padStart(9)}  ${'full'.padStart(10)}  ${'req'.padStart(3)}  ${'checkpoints'.padStart(11)}  ${'re-read'.padStart(7)}  ratio`,
    );
    for (const size of sizes) {
      const tenantId = `bench${size}`;
      const seedStarted = performance.now();
      await seedAuditTrail(documents, table, tenantId, size, CHECKPOINT_INTERVAL);
      const seedMillis = performance.now() - seedStarted;
      // One untimed pass each (JIT, connections), then the median of a few timed ones.
      const runs = size <= 20_000 ? 3 : 1;
      await verifyAll(tenantId, 'checkpoints');
      const full = median(await repeat(runs, () => verifyAll(tenantId, 'full')));
      const checkpoints = median(await repeat(Math.max(runs, 5), () => verifyAll(tenantId, 'checkpoints')));
      if (!full.valid || !checkpoints.valid)
        throw new Error(`the seeded trail of ${size} records did not verify`);
      console.log(
        `  ${String(size).padStart(8)}  ${formatFigure(seedMillis / 1000, 's').padStart(9)}  ` +
          `${formatFigure(full.millis, 'ms').padStart(10)}  ${String(full.requests).padStart(3)}  ` +
          `${formatFigure(checkpoints.millis, 'ms').padStart(11)}  ${String(checkpoints.records).padStart(7)}  ` +
          `${(full.millis / checkpoints.millis).toFixed(1)}× faster than full`,
      );
    }
  } finally {
    client.destroy();
    await emulator.stop();
  }
}

async function repeat(times: number, run: () => Promise<VerifyRun>): Promise<VerifyRun[]> {
  const results: VerifyRun[] = [];
  for (let i = 0; i < times; i++) results.push(await run());
  return results;
}

function median(runs: VerifyRun[]): VerifyRun {
  return [...runs].sort((a, b) => a.millis - b.millis)[Math.floor(runs.length / 2)]!;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const sizes = process.argv.slice(2).map(Number);
  await runAuditVerifyBenchmark(sizes.length > 0 ? sizes : DEFAULT_SIZES);
}
