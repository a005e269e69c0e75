// One platform-admin call to a running trustgate (`npm start`, or any deployment: --api-url, else API_URL,
// else http://127.0.0.1:3000), for the operator scripts (`npm run webhooks`, `npm run events`), with the
// platform admin's key (TRUSTGATE_PLATFORM_KEY, else the .sandbox/platform-key `npm start` wrote): the
// answer's JSON, or an error that says what to check when the API is unreachable or refuses.
import { authHeaders, localKey } from './api-keys-client.ts';

export const DEFAULT_API_URL = 'http://127.0.0.1:3000';

export async function adminPost(apiUrl: string, path: string, body?: unknown): Promise<unknown> {
  const key = localKey('platform-key', 'TRUSTGATE_PLATFORM_KEY');
  const url = new URL(path, apiUrl);
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { ...authHeaders(key), 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(120_000),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new Error(
      `cannot reach the trustgate API at ${apiUrl} (${cause?.code ?? cause?.message ?? (error as Error).message}); ` +
        'is it running (npm start), or is --api-url / API_URL wrong?',
    );
  }
  const text = await response.text();
  if (!response.ok) throw new Error(`POST ${url} answered ${response.status}: ${text}`);
  return JSON.parse(text) as unknown;
}

/** The count of a redrive answer, or an error naming what came back instead. */
export function movedCount(answer: unknown, path: string): number {
  const moved = (answer as { moved?: unknown }).moved;
  if (typeof moved !== 'number')
    throw new Error(`POST ${path} answered without a count: ${JSON.stringify(answer)}`);
  return moved;
}
