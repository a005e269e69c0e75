import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { signPayload, verifySignature } from '../../../functions/core/webhooks/webhook-signature.ts';

const secret = 'whsec_current';
const body = '{"type":"trust.tier_changed","agentId":"a-1","from":"T2","to":"T3"}';
const t = 1_764_000_000;

describe('signPayload', () => {
  it('produces t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>', () => {
    const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
    expect(signPayload(secret, body, t)).toBe(`t=${t},v1=${expected}`);
  });

  it('adds one v1 per secret during a rotation', () => {
    const header = signPayload(['whsec_new', 'whsec_old'], body, t);
    expect(header.split(',').map((part) => part.slice(0, part.indexOf('=')))).toEqual(['t', 'v1', 'v1']);
    expect(verifySignature(header, body, ['whsec_old'], t)).toEqual({ valid: true });
    expect(verifySignature(header, body, ['whsec_new'], t)).toEqual({ valid: true });
  });

  it('refuses empty secrets and invalid timestamps', () => {
    expect(() => signPayload('', body, t)).toThrow(RangeError);
    expect(() => signPayload([], body, t)).toThrow(RangeError);
    expect(() => signPayload(secret, body, -1)).toThrow(RangeError);
    expect(() => signPayload(secret, body, 1.5)).toThrow(RangeError);
  });
});

describe('verifySignature', () => {
  const header = signPayload(secret, body, t);

  it('accepts the round trip, for string and byte bodies', () => {
    expect(verifySignature(header, body, [secret], t)).toEqual({ valid: true });
    expect(verifySignature(header, Buffer.from(body), [secret], t + 10)).toEqual({ valid: true });
  });

  it('rejects a tampered body', () => {
    expect(verifySignature(header, body.replace('T3', 'T5'), [secret], t)).toEqual({
      valid: false,
      reason: 'no_matching_signature',
    });
  });

  it('rejects a timestamp changed after signing (it is inside the MAC)', () => {
    const replayed = header.replace(`t=${t}`, `t=${t + 600}`);
    expect(verifySignature(replayed, body, [secret], t + 600)).toEqual({
      valid: false,
      reason: 'no_matching_signature',
    });
  });

  it('accepts up to the tolerance and rejects beyond it, in the past and in the future', () => {
    expect(verifySignature(header, body, [secret], t + 300)).toEqual({ valid: true });
    expect(verifySignature(header, body, [secret], t - 300)).toEqual({ valid: true });
    const outside = { valid: false, reason: 'timestamp_outside_tolerance' };
    expect(verifySignature(header, body, [secret], t + 301)).toEqual(outside);
    expect(verifySignature(header, body, [secret], t - 301)).toEqual(outside);
    expect(verifySignature(header, body, [secret], t + 3_600, 7_200)).toEqual({ valid: true });
  });

  it('reports a forgery as a mismatch even when its timestamp is also stale', () => {
    expect(verifySignature(header, body, ['whsec_other'], t + 10_000)).toEqual({
      valid: false,
      reason: 'no_matching_signature',
    });
  });

  it('accepts any of the receiver secrets during a rotation, and ignores empty ones', () => {
    expect(verifySignature(header, body, ['whsec_next', secret], t)).toEqual({ valid: true });
    expect(verifySignature(header, body, ['whsec_next'], t)).toEqual({
      valid: false,
      reason: 'no_matching_signature',
    });
    expect(verifySignature(header, body, [], t)).toEqual({ valid: false, reason: 'no_matching_signature' });
    const signedWithEmptyKey = `t=${t},v1=${createHmac('sha256', '').update(`${t}.${body}`).digest('hex')}`;
    expect(verifySignature(signedWithEmptyKey, body, [''], t)).toEqual({
      valid: false,
      reason: 'no_matching_signature',
    });
  });

  it('ignores unknown schemes and tolerates spaces after commas', () => {
    const [time, v1] = header.split(',');
    expect(verifySignature(`${time}, v0=deadbeef, ${v1}, v2=abc`, body, [secret], t)).toEqual({
      valid: true,
    });
  });

  it('treats a v1 of the wrong length as a mismatch, without throwing', () => {
    expect(verifySignature(`t=${t},v1=abcd`, body, [secret], t)).toEqual({
      valid: false,
      reason: 'no_matching_signature',
    });
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['no signature', `t=${t}`],
    ['no timestamp', header.replace(`t=${t},`, '')],
    ['two timestamps', `t=${t},${header}`],
    ['non-numeric timestamp', header.replace(`t=${t}`, 't=soon')],
    ['negative timestamp', header.replace(`t=${t}`, `t=-${t}`)],
    ['non-hex signature', `t=${t},v1=${'z'.repeat(64)}`],
    ['odd-length hex', `t=${t},v1=abc`],
    ['element without =', `${header},garbage`],
    ['element with empty key', `${header},=x`],
  ])('rejects a malformed header: %s', (_, value) => {
    expect(verifySignature(value, body, [secret], t)).toEqual({ valid: false, reason: 'malformed_header' });
  });

  it('refuses a clock or tolerance that is not a number', () => {
    expect(() => verifySignature(header, body, [secret], Number.NaN)).toThrow(RangeError);
    expect(() => verifySignature(header, body, [secret], t, -1)).toThrow(RangeError);
  });
});

describe('signature properties', () => {
  const secrets = fc.string({ minLength: 1, maxLength: 64 });
  const bodies = fc.uint8Array({ minLength: 1, maxLength: 512 });
  const timestamps = fc.integer({ min: 0, max: 2 ** 40 });

  it('any body, secret and timestamp round-trips', () => {
    fc.assert(
      fc.property(secrets, bodies, timestamps, (key, payload, time) => {
        expect(verifySignature(signPayload(key, payload, time), payload, [key], time)).toEqual({
          valid: true,
        });
      }),
    );
  });

  it('any single-byte change in the body fails verification', () => {
    fc.assert(
      fc.property(
        secrets,
        bodies,
        timestamps,
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (key, payload, time, at, delta) => {
          const header = signPayload(key, payload, time);
          const tampered = Uint8Array.from(payload);
          const index = at % tampered.length;
          tampered[index] = (tampered[index]! + delta) % 256;
          expect(verifySignature(header, tampered, [key], time)).toEqual({
            valid: false,
            reason: 'no_matching_signature',
          });
        },
      ),
    );
  });
});
