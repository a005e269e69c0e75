// A tenant's token bucket in GateStateTable (docs/backend.md): key `bucket#<tenantId>`, the GCRA state of
// functions/core/rate-limit and a version for the optimistic lock every take is written under.
import type { TokenBucketState } from '../../core/rate-limit/token-bucket.ts';

export interface BucketItem {
  key: string;
  tenantId: string;
  bucket: TokenBucketState;
  version: number;
}

export function bucketKey(tenantId: string): string {
  return `bucket#${tenantId}`;
}
