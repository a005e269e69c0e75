// The DNS part of the webhook SSRF guard (pure part: core/webhooks/webhook-url-policy.ts).
//   checkRegisteredUrl   at registration: every address the host resolves to must be allowed
//   guardedLookup        at delivery, as the `lookup` option of node:http(s) `request`: the addresses the
//                        connection will really use are checked after resolution, so a name that resolved
//                        to a public address at registration and to 169.254.169.254 now (DNS rebinding)
//                        is refused before any byte is sent
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { lookup as dnsLookupAll } from 'node:dns/promises';
import type { LookupFunction } from 'node:net';
import {
  blockedAddressReason,
  checkWebhookUrl,
  type UrlPolicy,
} from '../../core/webhooks/webhook-url-policy.ts';

export class WebhookUrlRefusedError extends Error {
  override readonly name = 'WebhookUrlRefusedError';
}

export type ResolveAll = (hostname: string) => Promise<LookupAddress[]>;

export const resolveAll: ResolveAll = (hostname) => dnsLookupAll(hostname, { all: true, verbatim: true });

/** The URL, normalised, when a webhook may use it; throws WebhookUrlRefusedError saying why not. */
export async function checkRegisteredUrl(
  text: string,
  policy: UrlPolicy,
  resolve: ResolveAll = resolveAll,
): Promise<string> {
  const check = checkWebhookUrl(text, policy);
  if (!check.ok) throw new WebhookUrlRefusedError(check.reason);
  if (policy.allowPrivate || check.isIpLiteral) return check.url.href;
  let addresses: LookupAddress[];
  try {
    addresses = await resolve(check.hostname);
  } catch {
    throw new WebhookUrlRefusedError(`${check.hostname} does not resolve`);
  }
  if (addresses.length === 0) throw new WebhookUrlRefusedError(`${check.hostname} does not resolve`);
  for (const { address } of addresses) {
    const reason = blockedAddressReason(address);
    if (reason) throw new WebhookUrlRefusedError(`${check.hostname} resolves to ${address}, ${reason}`);
  }
  return check.url.href;
}

/**
 * A `lookup` for node:http(s) that refuses blocked addresses. Node calls it with `{ all: true }` when it
 * races address families (autoSelectFamily) and without otherwise; both forms are answered. Every address
 * of the answer is checked, not just the first, since the connection may try any of them.
 */
export function guardedLookup(policy: UrlPolicy, lookup: typeof dnsLookup = dnsLookup): LookupFunction {
  return (hostname, options, callback) => {
    lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const list = addresses as unknown as LookupAddress[];
      if (!policy.allowPrivate) {
        for (const { address } of list) {
          const reason = blockedAddressReason(address);
          if (reason) {
            const refused = Object.assign(
              new WebhookUrlRefusedError(`${hostname} resolves to ${address}, ${reason}`),
              {
                code: 'EWEBHOOKBLOCKED',
              },
            );
            return callback(refused, '', 0);
          }
        }
      }
      if (list.length === 0) return callback(new Error(`${hostname} does not resolve`), '', 0);
      if ((options as { all?: boolean }).all) {
        return (callback as unknown as (error: null, addresses: LookupAddress[]) => void)(null, list);
      }
      return callback(null, list[0]!.address, list[0]!.family);
    });
  };
}
