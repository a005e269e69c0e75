// Webhook signatures (SPEC §5), Stripe-style:
//   X-Trustgate-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>[,v1=<…>]
// The timestamp is inside the MAC, so a captured delivery cannot be replayed with a fresh `t`,
// and receivers reject deliveries whose `t` is more than the tolerance away from their clock.
// Several v1 values are allowed: while a subscriber rotates its secret, deliveries are signed with
// every active secret, and receivers accept a match with any of the secrets they hold.
// Unknown schemes (e.g. a future v2=) are ignored so that senders can add them without breaking
// receivers.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'X-Trustgate-Signature';
export const DEFAULT_TOLERANCE_SECONDS = 300;

const TIMESTAMP = /^\d{1,15}$/;
const HEX_BYTES = /^(?:[0-9a-fA-F]{2})+$/;

export type SignatureVerification =
  | { valid: true }
  | { valid: false; reason: 'malformed_header' | 'timestamp_outside_tolerance' | 'no_matching_signature' };

function signature(secret: string, body: string | Uint8Array, timestampSeconds: number): Buffer {
  return createHmac('sha256', secret).update(`${timestampSeconds}.`).update(body).digest();
}

/** The header value for a delivery; pass several secrets during a rotation. */
export function signPayload(
  secret: string | readonly string[],
  body: string | Uint8Array,
  timestampSeconds: number,
): string {
  if (!Number.isSafeInteger(timestampSeconds) || timestampSeconds < 0) {
    throw new RangeError(`timestampSeconds must be a non-negative integer, got ${timestampSeconds}`);
  }
  const secrets = typeof secret === 'string' ? [secret] : secret;
  if (secrets.length === 0 || secrets.some((value) => value === '')) {
    throw new RangeError('signing needs at least one secret, and no secret may be empty');
  }
  const signatures = secrets.map((value) => `v1=${signature(value, body, timestampSeconds).toString('hex')}`);
  return [`t=${timestampSeconds}`, ...signatures].join(',');
}

interface ParsedHeader {
  timestampSeconds: number;
  signatures: Buffer[];
}

function parseHeader(header: string): ParsedHeader | undefined {
  let timestampSeconds: number | undefined;
  const signatures: Buffer[] = [];
  for (const element of header.split(',')) {
    const separator = element.indexOf('=');
    if (separator <= 0) return undefined;
    const key = element.slice(0, separator).trim();
    const value = element.slice(separator + 1).trim();
    if (key === 't') {
      if (timestampSeconds !== undefined || !TIMESTAMP.test(value)) return undefined;
      timestampSeconds = Number(value);
    } else if (key === 'v1') {
      // Hex of the wrong length is well-formed but cannot match; the comparison handles it.
      if (!HEX_BYTES.test(value)) return undefined;
      signatures.push(Buffer.from(value, 'hex'));
    }
  }
  if (timestampSeconds === undefined || signatures.length === 0) return undefined;
  return { timestampSeconds, signatures };
}

/** Compares in time independent of where the inputs differ; unequal lengths are simply unequal. */
function constantTimeEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Checks a delivery against the receiver's secrets. The signature is checked before the
 * timestamp, so `timestamp_outside_tolerance` is only ever said about an authentic delivery
 * (a replay or a skewed clock), never about a forgery.
 */
export function verifySignature(
  header: string | undefined,
  body: string | Uint8Array,
  secrets: readonly string[],
  nowSeconds: number,
  toleranceSeconds: number = DEFAULT_TOLERANCE_SECONDS,
): SignatureVerification {
  if (!Number.isFinite(nowSeconds)) throw new RangeError(`nowSeconds must be finite, got ${nowSeconds}`);
  if (!(toleranceSeconds >= 0))
    throw new RangeError(`toleranceSeconds must be >= 0, got ${toleranceSeconds}`);
  const parsed = header === undefined ? undefined : parseHeader(header);
  if (parsed === undefined) return { valid: false, reason: 'malformed_header' };
  let matched = false;
  // An empty secret is a misconfiguration that anyone could sign with; it never matches.
  for (const secret of secrets.filter((value) => value !== '')) {
    const expected = signature(secret, body, parsed.timestampSeconds);
    for (const candidate of parsed.signatures) {
      if (constantTimeEqual(expected, candidate)) matched = true;
    }
  }
  if (!matched) return { valid: false, reason: 'no_matching_signature' };
  if (Math.abs(nowSeconds - parsed.timestampSeconds) > toleranceSeconds) {
    return { valid: false, reason: 'timestamp_outside_tolerance' };
  }
  return { valid: true };
}
