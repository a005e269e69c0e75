// One delivery attempt over real loopback HTTP: Node really resolves through the guarded lookup, so a name
// that (now) resolves to a blocked address is refused before anything is sent; the timeout bounds an attempt.
import type { LookupAddress } from 'node:dns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postDelivery } from '../../../functions/app/webhooks/post-delivery.ts';
import { guardedLookup } from '../../../functions/app/webhooks/webhook-url-guard.ts';
import { type LoopbackServer, startLoopbackServer } from '../providers/loopback-server.ts';

let server: LoopbackServer;

beforeAll(async () => {
  server = await startLoopbackServer();
});

afterAll(async () => {
  await server.close();
});

/** DNS answering every name with 127.0.0.1: a public-looking name rebound to loopback. */
const rebindingDns = ((
  _name: string,
  _options: unknown,
  callback: (e: null, list: LookupAddress[]) => void,
) => callback(null, [{ address: '127.0.0.1', family: 4 }])) as unknown as typeof import('node:dns').lookup;

function delivery(url: string, allowPrivate: boolean, timeoutMs = 2000) {
  return {
    url: new URL(url),
    headers: { 'webhook-id': 'evt_1', 'webhook-timestamp': '1', 'webhook-signature': 'v1,x' },
    body: '{"type":"intent.decided"}',
    timeoutMs,
    lookup: guardedLookup({ allowPrivate }, rebindingDns),
  };
}

describe('postDelivery', () => {
  it('refuses to connect when the name resolves to a blocked address, and sends nothing', async () => {
    const port = new URL(server.url).port;
    const before = server.requests.length;
    const result = await postDelivery(delivery(`http://hooks.example.com:${port}/x`, false));
    expect(result).toEqual({ kind: 'no_answer', error: expect.stringMatching(/EWEBHOOKBLOCKED.*loopback/) });
    expect(server.requests.length).toBe(before);
  });

  it('POSTs the body with the headers through the same lookup when private targets are allowed', async () => {
    server.respondWith({ status: 204, body: {} });
    const port = new URL(server.url).port;
    const result = await postDelivery(delivery(`http://hooks.example.com:${port}/x`, true));
    expect(result).toEqual({ kind: 'answered', status: 204 });
    const received = server.requests.at(-1)!;
    expect(received).toMatchObject({ method: 'POST', path: '/x', body: '{"type":"intent.decided"}' });
    expect(received.headers).toMatchObject({ 'webhook-id': 'evt_1', 'content-type': 'application/json' });
  });

  it('gives up after the timeout', async () => {
    server.respondWith({ status: 200, body: {}, delayMs: 3000 });
    const started = Date.now();
    const result = await postDelivery(delivery(server.url, true, 300));
    expect(result).toEqual({ kind: 'no_answer', error: 'no answer within 300 ms' });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('reports a refused connection', async () => {
    const result = await postDelivery(delivery('http://127.0.0.1:39998/x', true));
    expect(result).toMatchObject({ kind: 'no_answer', error: expect.stringMatching(/ECONNREFUSED/) });
  });
});
