// The SSRF guard: every blocked range (and its IPv4-mapped form) refused, public addresses allowed, both in
// URLs (pure check) and behind DNS (registration check and the delivery-time lookup).
import type { LookupAddress } from 'node:dns';
import { describe, expect, it } from 'vitest';
import {
  checkRegisteredUrl,
  guardedLookup,
  WebhookUrlRefusedError,
} from '../../../functions/app/webhooks/webhook-url-guard.ts';
import {
  blockedAddressReason,
  checkWebhookUrl,
} from '../../../functions/core/webhooks/webhook-url-policy.ts';

const strict = { allowPrivate: false };
const permissive = { allowPrivate: true };

const BLOCKED: [string, RegExp][] = [
  ['127.0.0.1', /loopback/],
  ['127.255.255.254', /loopback/],
  ['::1', /loopback/],
  ['0:0:0:0:0:0:0:1', /loopback/],
  ['0.0.0.0', /unspecified/],
  ['::', /unspecified/],
  ['169.254.0.1', /link-local/],
  ['169.254.255.255', /link-local/],
  ['fe80::1', /link-local/],
  ['febf:ffff::1', /link-local/],
  ['10.0.0.1', /private/],
  ['10.255.255.255', /private/],
  ['172.16.0.1', /private/],
  ['172.31.255.255', /private/],
  ['192.168.1.1', /private/],
  ['fc00::1', /private/],
  ['fdff:ffff::1', /private/],
  ['100.64.0.1', /carrier-grade/],
  ['100.127.255.255', /carrier-grade/],
  ['169.254.169.254', /metadata/],
  ['fd00:ec2::254', /metadata/],
  ['::ffff:127.0.0.1', /loopback/],
  ['::ffff:7f00:1', /loopback/],
  ['::ffff:169.254.169.254', /metadata/],
  ['::ffff:10.1.2.3', /private/],
  ['::ffff:192.168.0.1', /private/],
  ['::ffff:100.64.0.1', /carrier-grade/],
  ['::ffff:0.0.0.0', /unspecified/],
  ['64:ff9b::a9fe:a9fe', /metadata/],
];

const PUBLIC = [
  '93.184.215.14',
  '8.8.8.8',
  '1.1.1.1',
  '172.15.255.255',
  '172.32.0.0',
  '100.63.255.255',
  '100.128.0.0',
  '169.253.255.255',
  '11.0.0.1',
  '2606:4700:4700::1111',
  '2001:4860:4860::8888',
  '::ffff:8.8.8.8',
  'fec0::1',
];

describe('blockedAddressReason', () => {
  it.each(BLOCKED)('refuses %s', (address, reason) => {
    expect(blockedAddressReason(address)).toMatch(reason);
  });

  it.each(PUBLIC)('allows %s', (address) => {
    expect(blockedAddressReason(address)).toBeUndefined();
  });
});

describe('checkWebhookUrl', () => {
  it('allows https URLs of public hosts and addresses', () => {
    for (const url of [
      'https://hooks.example.com/trustgate',
      'https://93.184.215.14/x',
      'https://[2606:4700::1]/',
    ]) {
      expect(checkWebhookUrl(url, strict)).toMatchObject({ ok: true });
    }
  });

  it.each(BLOCKED)('refuses a URL whose host is %s', (address, reason) => {
    const host = address.includes(':') ? `[${address}]` : address;
    const check = checkWebhookUrl(`https://${host}/hook`, strict);
    expect(check.ok).toBe(false);
    expect(!check.ok && check.reason).toMatch(reason);
  });

  it('refuses other spellings of loopback that URL parsing normalises', () => {
    for (const url of ['https://2130706433/', 'https://0x7f.1/', 'https://0177.0.0.1/', 'https://127.1/']) {
      expect(checkWebhookUrl(url, strict)).toMatchObject({
        ok: false,
        reason: expect.stringMatching(/loopback/),
      });
    }
  });

  it('refuses localhost-style names', () => {
    for (const url of [
      'https://localhost/',
      'https://LOCALHOST./',
      'https://api.localhost/',
      'https://ip6-localhost/',
    ]) {
      expect(checkWebhookUrl(url, strict)).toMatchObject({
        ok: false,
        reason: expect.stringMatching(/local name/),
      });
    }
  });

  it('refuses http:, other schemes, credentials and URLs that are not absolute', () => {
    expect(checkWebhookUrl('http://hooks.example.com/', strict)).toMatchObject({
      ok: false,
      reason: /https:/,
    });
    expect(checkWebhookUrl('ftp://hooks.example.com/', strict)).toMatchObject({ ok: false });
    expect(checkWebhookUrl('https://user:pw@hooks.example.com/', strict)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/credentials/),
    });
    expect(checkWebhookUrl('/relative', strict)).toMatchObject({ ok: false, reason: 'not an absolute URL' });
    expect(checkWebhookUrl(`https://example.com/${'a'.repeat(2048)}`, strict)).toMatchObject({ ok: false });
  });

  it('allows http: and private targets when explicitly allowed', () => {
    expect(checkWebhookUrl('http://127.0.0.1:8080/hook', permissive)).toMatchObject({ ok: true });
    expect(checkWebhookUrl('http://localhost/hook', permissive)).toMatchObject({ ok: true });
    expect(checkWebhookUrl('ftp://127.0.0.1/', permissive)).toMatchObject({ ok: false });
  });
});

const resolvingTo =
  (...addresses: string[]) =>
  async (): Promise<LookupAddress[]> =>
    addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

describe('checkRegisteredUrl', () => {
  it('returns the normalised URL when every address is public', async () => {
    await expect(
      checkRegisteredUrl('https://Hooks.Example.com/a', strict, resolvingTo('93.184.215.14', '2606:4700::1')),
    ).resolves.toBe('https://hooks.example.com/a');
  });

  it('refuses a host with any blocked address among its addresses', async () => {
    const check = checkRegisteredUrl(
      'https://rebind.example.com/',
      strict,
      resolvingTo('8.8.8.8', '169.254.169.254'),
    );
    await expect(check).rejects.toThrow(WebhookUrlRefusedError);
    await expect(check).rejects.toThrow(/169\.254\.169\.254, the instance metadata service/);
  });

  it('refuses a host that does not resolve', async () => {
    const failing = async () => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' });
    };
    await expect(checkRegisteredUrl('https://nowhere.invalid/', strict, failing)).rejects.toThrow(
      /does not resolve/,
    );
  });

  it('does not ask DNS when private targets are allowed', async () => {
    const unused = async (): Promise<LookupAddress[]> => {
      throw new Error('DNS was asked');
    };
    await expect(checkRegisteredUrl('http://receiver.test:8080/', permissive, unused)).resolves.toBe(
      'http://receiver.test:8080/',
    );
  });
});

describe('guardedLookup', () => {
  /** A dns.lookup stand-in answering `addresses` in the `all: true` form guardedLookup asks for. */
  const dnsAnswering = (...addresses: string[]) =>
    ((_hostname: string, _options: unknown, callback: (error: null, list: LookupAddress[]) => void) =>
      callback(
        null,
        addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })),
      )) as unknown as typeof import('node:dns').lookup;

  function lookUp(lookup: ReturnType<typeof guardedLookup>, all: boolean) {
    return new Promise<{ error: NodeJS.ErrnoException | null; result: unknown }>((resolve) =>
      lookup('hooks.example.com', { all }, (error, address, family) =>
        resolve({ error, result: all ? address : { address, family } }),
      ),
    );
  }

  it('answers both lookup forms with public addresses', async () => {
    const lookup = guardedLookup(strict, dnsAnswering('93.184.215.14', '2606:4700::1'));
    expect(await lookUp(lookup, false)).toEqual({
      error: null,
      result: { address: '93.184.215.14', family: 4 },
    });
    expect((await lookUp(lookup, true)).result).toEqual([
      { address: '93.184.215.14', family: 4 },
      { address: '2606:4700::1', family: 6 },
    ]);
  });

  it('fails the connection when the name now resolves to a blocked address (DNS rebinding)', async () => {
    const lookup = guardedLookup(strict, dnsAnswering('93.184.215.14', '::ffff:169.254.169.254'));
    for (const all of [false, true]) {
      const { error } = await lookUp(lookup, all);
      expect(error).toBeInstanceOf(WebhookUrlRefusedError);
      expect(error?.code).toBe('EWEBHOOKBLOCKED');
    }
  });

  it('lets private addresses through when they are allowed', async () => {
    const lookup = guardedLookup(permissive, dnsAnswering('127.0.0.1'));
    expect(await lookUp(lookup, false)).toEqual({ error: null, result: { address: '127.0.0.1', family: 4 } });
  });
});
