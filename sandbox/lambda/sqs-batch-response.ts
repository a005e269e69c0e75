// How Lambda reads a function's answer to an SQS batch, per the partial batch response rules:
// https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html

/** Which messages of the batch to leave on the queue: 'all', or the ids of the failed ones. */
export type BatchOutcome = { failed: 'all' } | { failed: ReadonlySet<string> };

/**
 * Without ReportBatchItemFailures any successful invocation deletes the whole batch. With it, a null
 * response or an empty/null `batchItemFailures` is full success; an invalid response, or an item
 * identifier that is empty, null or not a message id of the batch, fails the whole batch.
 */
export function readBatchResponse(
  payload: string,
  batchMessageIds: ReadonlySet<string>,
  reportBatchItemFailures: boolean,
): BatchOutcome {
  if (!reportBatchItemFailures) return { failed: new Set() };
  let response: unknown;
  try {
    response = JSON.parse(payload);
  } catch {
    return { failed: 'all' };
  }
  if (response === null) return { failed: new Set() };
  if (typeof response !== 'object' || Array.isArray(response)) return { failed: 'all' };
  const failures = (response as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === undefined || failures === null) return { failed: new Set() };
  if (!Array.isArray(failures)) return { failed: 'all' };
  const failed = new Set<string>();
  for (const failure of failures) {
    const itemIdentifier = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (typeof itemIdentifier !== 'string' || !batchMessageIds.has(itemIdentifier)) return { failed: 'all' };
    failed.add(itemIdentifier);
  }
  return { failed };
}
