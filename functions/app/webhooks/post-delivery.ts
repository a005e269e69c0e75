// One delivery attempt over HTTP: POST the body with the signed headers, through the guarded DNS lookup
// (webhook-url-guard.ts), within `timeoutMs` for the whole exchange. Never throws: the outcome is an
// AttemptResult (an answer's status, or why there was none). The response body is read and discarded.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import type { AttemptResult } from '../../core/webhooks/delivery-outcome.ts';

export interface DeliveryRequest {
  url: URL;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  lookup: LookupFunction;
}

export type PostDelivery = (delivery: DeliveryRequest) => Promise<AttemptResult>;

export const postDelivery: PostDelivery = (delivery) =>
  new Promise((resolve) => {
    const send = delivery.url.protocol === 'https:' ? httpsRequest : httpRequest;
    const signal = AbortSignal.timeout(delivery.timeoutMs);
    const request = send(delivery.url, {
      method: 'POST',
      headers: {
        ...delivery.headers,
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(delivery.body, 'utf8')),
        'user-agent': 'trustgate-webhooks/1',
      },
      lookup: delivery.lookup,
      signal,
    });
    request.on('response', (response) => {
      response.resume();
      response.on('end', () => resolve({ kind: 'answered', status: response.statusCode ?? 0 }));
      // Cut off mid-body (the timeout, a reset): the status is what counts. Resolving twice is harmless.
      response.on('error', () => resolve({ kind: 'answered', status: response.statusCode ?? 0 }));
      response.on('close', () => resolve({ kind: 'answered', status: response.statusCode ?? 0 }));
    });
    request.on('error', (error: NodeJS.ErrnoException) => {
      const reason = signal.aborted
        ? `no answer within ${delivery.timeoutMs} ms`
        : `${error.code ? `${error.code}: ` : ''}${error.message}`;
      resolve({ kind: 'no_answer', error: reason.slice(0, 512) });
    });
    request.end(delivery.body);
  });
