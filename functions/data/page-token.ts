// The opaque `nextToken` of paged list routes: a page's LastEvaluatedKey as base64url JSON. Decoding checks
// that the token is one this API issued for the same scope (tenant, status, …), so a forged or reused token
// is a 400 (InvalidPageTokenError), never a read of another tenant's items; only the key attributes go back
// to DynamoDB, whatever else a token carries.

/** DynamoDB's bound on a sort key (a partition key may have 2 048): the bound of every key attribute here. */
const MAX_KEY_BYTES = 1_024;

export class InvalidPageTokenError extends Error {
  override readonly name = 'InvalidPageTokenError';
}

export function encodePageToken(key: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/**
 * The ExclusiveStartKey a token stands for: every `keyAttributes` a non-empty string of at most 1 024 bytes,
 * and each attribute of `scope` equal to the caller's (`scopeName` says what the scope is in the error,
 * e.g. "tenant").
 */
export function decodePageToken(
  token: string,
  keyAttributes: readonly string[],
  scope: Readonly<Record<string, string>>,
  scopeName: string,
): Record<string, string> {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidPageTokenError('nextToken is not a token this API issued');
  }
  const fields = typeof decoded === 'object' && decoded !== null ? (decoded as Record<string, unknown>) : {};
  const key: Record<string, string> = {};
  for (const attribute of keyAttributes) {
    const value = fields[attribute];
    // Nor a key DynamoDB refuses as a start key (a ValidationException, so a 500): an empty string, or one
    // over its 1 024-byte bound on sort keys. No key this API writes comes near that bound. Found by the
    // fuzz suite (test/integration/fuzz).
    if (typeof value !== 'string' || value === '' || Buffer.byteLength(value, 'utf8') > MAX_KEY_BYTES) {
      throw new InvalidPageTokenError(`nextToken is not a token this API issued for this ${scopeName}`);
    }
    key[attribute] = value;
  }
  for (const [attribute, value] of Object.entries(scope)) {
    if (key[attribute] !== value) {
      throw new InvalidPageTokenError(`nextToken is not a token this API issued for this ${scopeName}`);
    }
  }
  return key;
}
