// A subscriber's endpoint on 127.0.0.1: records every delivery with its arrival time, checks it with the
// `standardwebhooks` library (as a real subscriber would) once it knows the secret, and answers the status
// the test sets.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface ReceivedDelivery {
  receivedAtMs: number;
  headers: IncomingHttpHeaders;
  body: string;
  /** Whether `new Webhook(secret).verify(body, headers)` accepted it; undefined without a secret. */
  verified?: boolean;
}

export interface WebhookReceiver {
  url: string;
  deliveries: ReceivedDelivery[];
  answer(status: number): void;
  useSecret(secret: string): void;
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const deliveries: ReceivedDelivery[] = [];
  let status = 200;
  let secret: string | undefined;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const delivery: ReceivedDelivery = { receivedAtMs: Date.now(), headers: request.headers, body };
      if (secret) {
        try {
          new Webhook(secret).verify(body, request.headers as Record<string, string>);
          delivery.verified = true;
        } catch {
          delivery.verified = false;
        }
      }
      deliveries.push(delivery);
      response.statusCode = status;
      response.end();
    });
  });
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    deliveries,
    answer: (value) => {
      status = value;
    },
    useSecret: (value) => {
      secret = value;
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
