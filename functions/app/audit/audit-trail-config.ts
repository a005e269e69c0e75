// What the audit logger and its API share: the table, the client, the checkpoint interval (1000; tests
// inject a smaller one) and how many records one full verification request may re-read.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * A full verification re-reads and re-hashes every record: ~1.3 KB each, ~750 per 1 MB Query page. 20 000
 * records are ~27 pages, a few seconds on DynamoDB, well inside API Gateway's 30 s; longer trails are
 * verified in ranges (`fromSequence` / `nextSequence`) or with mode=checkpoints.
 */
export const MAX_FULL_VERIFY_RECORDS = 20_000;

export interface AuditTrailStore {
  client: DynamoDBDocumentClient;
  table: string;
  checkpointInterval: number;
}
