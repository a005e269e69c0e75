import { mkdir } from 'node:fs/promises';
import { startFauxqs } from 'fauxqs';
import type { RunningEmulator } from './dynamodb-local.ts';

export interface FauxqsOptions {
  /** Keep queues and messages in this directory (SQLite) across restarts; in memory when undefined. */
  dataDir?: string;
  region: string;
}

/**
 * Starts fauxqs (SQS) in this process on a free port. Queue URLs it mints carry the Host header of the
 * request, so as long as the edge forwards the client's Host they point back at the edge.
 */
export async function startFauxqsEmulator(options: FauxqsOptions): Promise<RunningEmulator> {
  if (options.dataDir) await mkdir(options.dataDir, { recursive: true });
  const server = await startFauxqs({
    port: 0,
    logger: false,
    defaultRegion: options.region,
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
  });
  return { url: `http://127.0.0.1:${server.port}`, stop: () => server.stop() };
}
