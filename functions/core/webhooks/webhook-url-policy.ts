// Which URLs a webhook may be delivered to (SSRF guard, pure part). A subscriber chooses the URL, and the
// delivery worker runs inside our network: without this a webhook could make it POST to the instance
// metadata service, a VPC-internal service or localhost. Refused, unless private targets are explicitly
// allowed (WEBHOOK_ALLOW_PRIVATE_URLS=true, for the sandbox and the tests):
//   - any scheme but https: (http: is allowed too when private targets are)
//   - user:password@ in the URL, and `localhost`-style names
//   - hosts that are, or resolve to (app/webhooks/webhook-url-guard.ts), an address of BLOCKED_RANGES,
//     IPv4-mapped and NAT64 IPv6 forms of IPv4 addresses included
// The check runs at registration and again on every delivery, on the addresses the connection really uses.
import { type IpAddress, parseIpAddress } from '../event-pattern/cidr.ts';

export const MAX_WEBHOOK_URL_LENGTH = 2048;

export interface UrlPolicy {
  allowPrivate: boolean;
}

interface BlockedRange {
  cidr: string;
  reason: string;
}

/** Ranges a webhook may never reach; the more specific come first so the reason names them. */
export const BLOCKED_RANGES: readonly BlockedRange[] = [
  { cidr: '169.254.169.254/32', reason: 'the instance metadata service' },
  { cidr: 'fd00:ec2::254/128', reason: 'the instance metadata service' },
  { cidr: '0.0.0.0/8', reason: 'an unspecified ("this network") address' },
  { cidr: '127.0.0.0/8', reason: 'a loopback address' },
  { cidr: '10.0.0.0/8', reason: 'a private address' },
  { cidr: '172.16.0.0/12', reason: 'a private address' },
  { cidr: '192.168.0.0/16', reason: 'a private address' },
  { cidr: '100.64.0.0/10', reason: 'a carrier-grade NAT address' },
  { cidr: '169.254.0.0/16', reason: 'a link-local address' },
  { cidr: '::/128', reason: 'an unspecified address' },
  { cidr: '::1/128', reason: 'a loopback address' },
  { cidr: 'fe80::/10', reason: 'a link-local address' },
  { cidr: 'fc00::/7', reason: 'a private (unique local) address' },
];

/** IPv6 prefixes whose last 32 bits are an IPv4 address, checked as that address. */
const IPV4_EMBEDDING_PREFIXES: readonly { prefix: bigint; bits: number }[] = [
  { prefix: 0xffffn, bits: 96 }, // ::ffff:0:0/96, IPv4-mapped
  { prefix: 0x0064ff9bn << 64n, bits: 96 }, // 64:ff9b::/96, NAT64
];

const LOCAL_NAMES = new Set(['localhost', 'localhost.localdomain', 'ip6-localhost', 'ip6-loopback']);

interface CompiledRange {
  version: 4 | 6;
  network: bigint;
  hostBits: bigint;
  reason: string;
}

const COMPILED_RANGES: readonly CompiledRange[] = BLOCKED_RANGES.map(({ cidr, reason }) => {
  const [address, prefix] = cidr.split('/') as [string, string];
  const parsed = parseIpAddress(address)!;
  const hostBits = BigInt((parsed.version === 4 ? 32 : 128) - Number(prefix));
  return { version: parsed.version, network: parsed.value >> hostBits, hostBits, reason };
});

function embeddedIpv4(address: IpAddress): IpAddress | undefined {
  if (address.version !== 6) return undefined;
  for (const { prefix, bits } of IPV4_EMBEDDING_PREFIXES) {
    if (address.value >> BigInt(128 - bits) === prefix) {
      return { version: 4, value: address.value & 0xffffffffn };
    }
  }
  return undefined;
}

/** Why `ip` (textual IPv4 or IPv6) may not be a webhook target ("a loopback address"), or undefined when it may. */
export function blockedAddressReason(ip: string): string | undefined {
  const parsed = parseIpAddress(ip.replace(/^\[|\]$/g, '').replace(/%.*$/, ''));
  if (!parsed) return 'not an IP address';
  const candidates = [parsed, embeddedIpv4(parsed)].filter((value) => value !== undefined);
  for (const address of candidates) {
    for (const range of COMPILED_RANGES) {
      if (range.version === address.version && address.value >> range.hostBits === range.network) {
        return range.reason;
      }
    }
  }
  return undefined;
}

export type UrlCheck =
  | { ok: true; url: URL; hostname: string; isIpLiteral: boolean }
  | { ok: false; reason: string };

/**
 * The part of the check that needs no DNS: scheme, credentials, local names, IP literals (the WHATWG
 * parser has already normalised `http://2130706433/` and `0x7f.1` to 127.0.0.1). A hostname that
 * passes must still have its addresses checked with blockedAddressReason.
 */
export function checkWebhookUrl(text: string, policy: UrlPolicy): UrlCheck {
  if (text.length > MAX_WEBHOOK_URL_LENGTH) {
    return { ok: false, reason: `at most ${MAX_WEBHOOK_URL_LENGTH} characters` };
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, reason: 'not an absolute URL' };
  }
  const schemes = policy.allowPrivate ? ['https:', 'http:'] : ['https:'];
  if (!schemes.includes(url.protocol)) {
    return { ok: false, reason: `the scheme must be ${schemes.join(' or ')}` };
  }
  if (url.username !== '' || url.password !== '') {
    return { ok: false, reason: 'credentials in the URL are not allowed; authenticate with the signature' };
  }
  const hostname = url.hostname.replace(/^\[|\]$/g, '');
  const isIpLiteral = parseIpAddress(hostname) !== undefined;
  if (!policy.allowPrivate) {
    const name = hostname.toLowerCase().replace(/\.$/, '');
    if (name === '' || LOCAL_NAMES.has(name) || name.endsWith('.localhost')) {
      return { ok: false, reason: `${hostname || 'an empty host'} is a local name` };
    }
    if (isIpLiteral) {
      const reason = blockedAddressReason(hostname);
      if (reason) return { ok: false, reason: `${hostname} is ${reason}` };
    }
  }
  return { ok: true, url, hostname, isIpLiteral };
}
