// Webhook delivery signatures following the Standard Webhooks specification (SPEC §5,
// https://www.standardwebhooks.com):
//
//   webhook-id:         the message id (the event's eventId: the same on every retry, receivers dedupe on it)
//   webhook-timestamp:  unix seconds of this attempt
//   webhook-signature:  v1,<base64 HMAC-SHA256(key, "<webhook-id>.<webhook-timestamp>.<body>")>
//                       several space-separated while a secret is rotated
//   X-Trustgate-Event:  the event type, for routing without parsing the body
//
// The id and the timestamp are inside the MAC, so a captured delivery cannot be replayed under a fresh
// timestamp, and receivers refuse timestamps more than 300 s from their clock.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { secretKey } from './webhook-secret.ts';

export const DEFAULT_TOLERANCE_SECONDS = 300;
export const EVENT_TYPE_HEADER = 'X-Trustgate-Event';

export interface DeliveryHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
  'X-Trustgate-Event': string;
}

export interface SignedMessage {
  messageId: string;
  timestampSeconds: number;
  body: string;
}

function mac(key: Buffer, message: SignedMessage): Buffer {
  return createHmac('sha256', key)
    .update(`${message.messageId}.${message.timestampSeconds}.`)
    .update(message.body, 'utf8')
    .digest();
}

/** The `webhook-signature` value: one `v1,<base64>` per secret (several during a rotation). */
export function signMessage(secrets: string | readonly string[], message: SignedMessage): string {
  if (!Number.isSafeInteger(message.timestampSeconds) || message.timestampSeconds < 0) {
    throw new RangeError(`timestampSeconds must be a non-negative integer, got ${message.timestampSeconds}`);
  }
  if (message.messageId === '' || /[\s.]/.test(message.messageId)) {
    throw new RangeError('the message id must be non-empty, without whitespace or dots');
  }
  const list = typeof secrets === 'string' ? [secrets] : secrets;
  if (list.length === 0) throw new RangeError('signing needs at least one secret');
  return list.map((secret) => `v1,${mac(secretKey(secret), message).toString('base64')}`).join(' ');
}

/** Every header of one delivery attempt. */
export function deliveryHeaders(
  secrets: string | readonly string[],
  message: SignedMessage & { eventType: string },
): DeliveryHeaders {
  return {
    'webhook-id': message.messageId,
    'webhook-timestamp': String(message.timestampSeconds),
    'webhook-signature': signMessage(secrets, message),
    'X-Trustgate-Event': message.eventType,
  };
}

export type SignatureVerification =
  | { valid: true }
  | { valid: false; reason: 'missing_headers' | 'timestamp_outside_tolerance' | 'no_matching_signature' };

/**
 * A receiver's check of a delivery (what our tests and any Standard Webhooks library do): the headers by
 * lowercase name, the raw body, the secrets the receiver holds. Comparisons take constant time.
 */
export function verifyMessage(
  headers: Readonly<Record<string, string | undefined>>,
  body: string,
  secrets: readonly string[],
  nowSeconds: number,
  toleranceSeconds: number = DEFAULT_TOLERANCE_SECONDS,
): SignatureVerification {
  const messageId = headers['webhook-id'];
  const timestamp = headers['webhook-timestamp'];
  const signatures = headers['webhook-signature'];
  if (!messageId || !timestamp || !signatures || !/^\d{1,15}$/.test(timestamp)) {
    return { valid: false, reason: 'missing_headers' };
  }
  const timestampSeconds = Number(timestamp);
  if (Math.abs(nowSeconds - timestampSeconds) > toleranceSeconds) {
    return { valid: false, reason: 'timestamp_outside_tolerance' };
  }
  const candidates = signatures
    .split(' ')
    .filter((entry) => entry.startsWith('v1,'))
    .map((entry) => Buffer.from(entry.slice(3), 'base64'));
  for (const secret of secrets) {
    const expected = mac(secretKey(secret), { messageId, timestampSeconds, body });
    for (const candidate of candidates) {
      if (candidate.length === expected.length && timingSafeEqual(candidate, expected))
        return { valid: true };
    }
  }
  return { valid: false, reason: 'no_matching_signature' };
}
