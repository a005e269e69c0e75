// Which item of a cancelled TransactWriteItems lost, read from the cancellation reasons DynamoDB lists in
// request order. `ConditionalCheckFailed` means the item's condition no longer held (someone wrote it
// since it was read); `TransactionConflict` means another transaction was writing it at that moment.
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';

export type ItemCancellation = 'condition_failed' | 'conflict' | 'none';

export function itemCancellation(error: unknown, itemIndex: number): ItemCancellation {
  if (!(error instanceof TransactionCanceledException)) return 'none';
  const code = error.CancellationReasons?.[itemIndex]?.Code;
  if (code === 'ConditionalCheckFailed') return 'condition_failed';
  if (code === 'TransactionConflict') return 'conflict';
  return 'none';
}

/** True when any of the given items lost a race, so reading again and retrying may succeed. */
export function lostRaceOn(error: unknown, itemIndexes: readonly number[]): boolean {
  return itemIndexes.some((index) => itemCancellation(error, index) !== 'none');
}
