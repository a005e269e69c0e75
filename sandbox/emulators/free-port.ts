import { createServer } from 'node:net';

/**
 * Asks the OS for a free TCP port on 127.0.0.1. Needed for child processes such as DynamoDB Local that
 * take a port number on their command line and cannot report back a port they chose themselves.
 */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}
