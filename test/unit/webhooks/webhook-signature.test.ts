// Standard Webhooks signing: our signer against our own verifier and against the reference library
// (`standardwebhooks`, what subscribers use), including the forgeries and replays both must refuse.
import { createHmac } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { generateWebhookSecret, secretKey } from '../../../functions/core/webhooks/webhook-secret.ts';
import {
  deliveryHeaders,
  signMessage,
  verifyMessage,
} from '../../../functions/core/webhooks/webhook-signature.ts';

const bytes = (seed: number) => () => Uint8Array.from({ length: 32 }, (_, index) => (index * 7 + seed) % 256);
const secret = generateWebhookSecret(bytes(1));
const otherSecret = generateWebhookSecret(bytes(2));
const body = '{"type":"intent.decided","timestamp":"2026-12-05T10:00:00.000Z","data":{"decision":"DENY"}}';
const nowSeconds = Math.floor(Date.now() / 1000);
const message = { messageId: 'evt_0123456789abcdef0123456789abcdef', timestampSeconds: nowSeconds, body };

function lowercase(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}

describe('webhook secrets', () => {
  it('are whsec_ and the base64 of the 32 injected bytes', () => {
    expect(secret).toBe(`whsec_${Buffer.from(bytes(1)()).toString('base64')}`);
    expect(secretKey(secret)).toEqual(Buffer.from(bytes(1)()));
  });

  it('refuse a wrong number of random bytes and malformed secrets', () => {
    expect(() => generateWebhookSecret(() => new Uint8Array(16))).toThrow(RangeError);
    expect(() => secretKey('sk_abc')).toThrow(RangeError);
    expect(() => secretKey('whsec_')).toThrow(RangeError);
    expect(() => secretKey('whsec_not base64!')).toThrow(RangeError);
  });
});

describe('webhook signatures', () => {
  it('are v1,<base64 HMAC-SHA256 over "<id>.<timestamp>.<body>"> keyed with the decoded secret', () => {
    const expected = createHmac('sha256', Buffer.from(bytes(1)()))
      .update(`${message.messageId}.${nowSeconds}.${body}`)
      .digest('base64');
    expect(signMessage(secret, message)).toBe(`v1,${expected}`);
  });

  it('list one signature per secret, space-separated, while a secret is rotated', () => {
    const header = signMessage([secret, otherSecret], message);
    expect(header.split(' ')).toEqual([signMessage(secret, message), signMessage(otherSecret, message)]);
  });

  it('carry the Standard Webhooks headers and the event type', () => {
    const headers = deliveryHeaders(secret, { ...message, eventType: 'intent.decided' });
    expect(headers).toEqual({
      'webhook-id': message.messageId,
      'webhook-timestamp': String(nowSeconds),
      'webhook-signature': signMessage(secret, message),
      'X-Trustgate-Event': 'intent.decided',
    });
  });

  it('refuse impossible timestamps, message ids and empty secret lists', () => {
    expect(() => signMessage(secret, { ...message, timestampSeconds: -1 })).toThrow(RangeError);
    expect(() => signMessage(secret, { ...message, timestampSeconds: 1.5 })).toThrow(RangeError);
    expect(() => signMessage(secret, { ...message, messageId: 'a.b' })).toThrow(RangeError);
    expect(() => signMessage([], message)).toThrow(RangeError);
  });
});

describe('the standardwebhooks library', () => {
  const headersFor = (signingSecrets: string | string[], overrides: Partial<typeof message> = {}) =>
    lowercase({
      ...deliveryHeaders(signingSecrets, { ...message, ...overrides, eventType: 'intent.decided' }),
    });

  it('accepts our deliveries, also with several signatures during a rotation', () => {
    expect(new Webhook(secret).verify(body, headersFor(secret))).toEqual(JSON.parse(body));
    expect(new Webhook(otherSecret).verify(body, headersFor([secret, otherSecret]))).toEqual(
      JSON.parse(body),
    );
  });

  it('rejects a changed body, a stale timestamp and another secret', () => {
    const headers = headersFor(secret);
    expect(() => new Webhook(secret).verify(body.replace('DENY', 'ALLOW'), headers)).toThrow();
    const stale = headersFor(secret, { timestampSeconds: nowSeconds - 301 });
    expect(() => new Webhook(secret).verify(body, stale)).toThrow(/timestamp/i);
    expect(() => new Webhook(otherSecret).verify(body, headers)).toThrow();
  });

  it('produces the signatures our verifier accepts', () => {
    const signature = new Webhook(secret).sign(message.messageId, new Date(nowSeconds * 1000), body);
    const headers = {
      'webhook-id': message.messageId,
      'webhook-timestamp': String(nowSeconds),
      'webhook-signature': signature,
    };
    expect(signature).toBe(signMessage(secret, message));
    expect(verifyMessage(headers, body, [secret], nowSeconds)).toEqual({ valid: true });
  });
});

describe('verifyMessage', () => {
  const headers = lowercase({ ...deliveryHeaders(secret, { ...message, eventType: 'intent.decided' }) });

  it('accepts an authentic delivery with any of the receiver secrets', () => {
    expect(verifyMessage(headers, body, [otherSecret, secret], nowSeconds)).toEqual({ valid: true });
  });

  it('rejects a changed body, another id, another secret', () => {
    const refused = { valid: false, reason: 'no_matching_signature' };
    expect(verifyMessage(headers, `${body} `, [secret], nowSeconds)).toEqual(refused);
    expect(verifyMessage({ ...headers, 'webhook-id': 'evt_other' }, body, [secret], nowSeconds)).toEqual(
      refused,
    );
    expect(verifyMessage(headers, body, [otherSecret], nowSeconds)).toEqual(refused);
  });

  it('rejects timestamps more than 300 s away, either way, and accepts 300 s', () => {
    const outside = { valid: false, reason: 'timestamp_outside_tolerance' };
    expect(verifyMessage(headers, body, [secret], nowSeconds + 301)).toEqual(outside);
    expect(verifyMessage(headers, body, [secret], nowSeconds - 301)).toEqual(outside);
    expect(verifyMessage(headers, body, [secret], nowSeconds + 300)).toEqual({ valid: true });
  });

  it('rejects missing headers', () => {
    const { 'webhook-signature': _, ...unsigned } = headers;
    expect(verifyMessage(unsigned, body, [secret], nowSeconds)).toEqual({
      valid: false,
      reason: 'missing_headers',
    });
  });
});
