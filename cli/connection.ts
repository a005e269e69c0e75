// Where the CLI sends its requests and with which key, first found wins:
//   API URL   --api-url, TRUSTGATE_API_URL, http://127.0.0.1:3000 (the sandbox of `npm start`)
//   API key   --api-key, TRUSTGATE_API_KEY, the contents of .sandbox/admin-key of this checkout (written by
//             `npm start`: tenant default, every role); `webhooks redrive`, a platform admin's call, reads
//             .sandbox/platform-key instead
// No key at all, or a URL that is not http(s), is a usage error (exit 2) saying how to get one.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from './cli-errors.ts';
import type { CliIo } from './cli-io.ts';

export const DEFAULT_API_URL = 'http://127.0.0.1:3000';

export type SandboxKeyFile = 'admin-key' | 'platform-key';

export interface ConnectionOptions {
  apiUrl?: string;
  apiKey?: string;
}

export interface Connection {
  apiUrl: string;
  apiKey: string;
}

export function resolveApiUrl(options: ConnectionOptions, io: CliIo): string {
  const raw = options.apiUrl ?? nonEmpty(io.env.TRUSTGATE_API_URL) ?? DEFAULT_API_URL;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`--api-url: "${raw}" is not a URL (e.g. ${DEFAULT_API_URL})`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`--api-url: "${raw}" is not an http(s) URL`);
  }
  if (url.search || url.hash) throw new UsageError(`--api-url: "${raw}" must not have a query or fragment`);
  return url.href.replace(/\/+$/, '');
}

export function resolveApiKey(
  options: ConnectionOptions,
  io: CliIo,
  keyFile: SandboxKeyFile = 'admin-key',
): string {
  const given = nonEmpty(options.apiKey) ?? nonEmpty(io.env.TRUSTGATE_API_KEY);
  if (given) return given.trim();
  const path = join(io.sandboxDir, keyFile);
  let key: string | undefined;
  try {
    key = nonEmpty(readFileSync(path, 'utf8').trim());
  } catch {
    key = undefined;
  }
  if (key) return key;
  throw new UsageError(
    `no API key: pass --api-key or set TRUSTGATE_API_KEY, or start the sandbox (npm start), which writes ${path}`,
  );
}

export function resolveConnection(
  options: ConnectionOptions,
  io: CliIo,
  keyFile: SandboxKeyFile = 'admin-key',
): Connection {
  return { apiUrl: resolveApiUrl(options, io), apiKey: resolveApiKey(options, io, keyFile) };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
