// Webhook signing secrets in the Standard Webhooks form (SPEC §5): `whsec_` followed by the base64 of
// 32 random bytes. The HMAC key is the decoded bytes, not the text, which is what every Standard
// Webhooks / Svix library expects when handed the secret as is.
export const SECRET_PREFIX = 'whsec_';
export const SECRET_BYTES = 32;

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** A new secret from `randomBytes` (node:crypto's in production, a fixed source in tests). */
export function generateWebhookSecret(randomBytes: (size: number) => Uint8Array): string {
  const bytes = randomBytes(SECRET_BYTES);
  if (bytes.length !== SECRET_BYTES) {
    throw new RangeError(`a webhook secret needs ${SECRET_BYTES} random bytes, got ${bytes.length}`);
  }
  return `${SECRET_PREFIX}${Buffer.from(bytes).toString('base64')}`;
}

/** The HMAC key of a secret; throws RangeError for anything that is not a `whsec_` secret. */
export function secretKey(secret: string): Buffer {
  if (!secret.startsWith(SECRET_PREFIX))
    throw new RangeError(`a webhook secret starts with ${SECRET_PREFIX}`);
  const encoded = secret.slice(SECRET_PREFIX.length);
  const key = BASE64.test(encoded) ? Buffer.from(encoded, 'base64') : Buffer.alloc(0);
  if (key.length === 0) throw new RangeError('a webhook secret is whsec_ followed by base64');
  return key;
}
