import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { itemCancellation, lostRaceOn } from '../../../functions/app/gate/transaction-cancellation.ts';

/** A cancelled TransactWriteItems as the SDK reports it: one reason per item, in request order. */
function cancelled(codes: string[]): TransactionCanceledException {
  return new TransactionCanceledException({
    message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes.join(', ')}]`,
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });
}

// The gate's decision transaction: [intent, chain head, tenant bucket, step DECIDED].
const BUCKET = 2;
const STEP = 3;

describe('lostRaceOn', () => {
  it('treats another parallel gate writing the same workflow item at that moment as a lost race', () => {
    const error = cancelled(['None', 'None', 'None', 'TransactionConflict']);

    expect(itemCancellation(error, STEP)).toBe('conflict');
    expect(lostRaceOn(error, [BUCKET, STEP])).toBe(true);
  });

  it('treats a conflict or a changed version on the shared tenant bucket as a lost race', () => {
    expect(lostRaceOn(cancelled(['None', 'None', 'TransactionConflict', 'None']), [BUCKET, STEP])).toBe(true);
    expect(lostRaceOn(cancelled(['None', 'None', 'ConditionalCheckFailed', 'None']), [BUCKET, STEP])).toBe(
      true,
    );
  });

  it('ignores items it was not asked about, and errors that are not cancellations', () => {
    expect(lostRaceOn(cancelled(['ValidationError', 'None', 'None', 'None']), [BUCKET, STEP])).toBe(false);
    expect(lostRaceOn(new Error('network down'), [BUCKET, STEP])).toBe(false);
    expect(itemCancellation(cancelled(['None']), STEP)).toBe('none');
  });
});
