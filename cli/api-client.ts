// The trustgate HTTP API as the CLI calls it: JSON in and out, `Authorization: Bearer <key>`, and every way a
// call can go wrong turned into a failure with its exit code (cli-errors.ts):
//   4xx                    ApiRefusedError (3) with the error body's code, message and fields; API Gateway's
//                          own `{ "message": "Unauthorized" }` and the like get a code from the status
//   5xx, a network error,  ApiUnavailableError (4), saying what to check
//   a timeout, non-JSON
import { type ApiErrorDetail, ApiRefusedError, ApiUnavailableError } from './cli-errors.ts';

/** No single request of the CLI should take longer; a slow API is reported rather than waited on. */
export const REQUEST_TIMEOUT_MS = 30_000;

/** Codes for 4xx answers without the API's error body (API Gateway answers some itself). */
const STATUS_CODES: Readonly<Record<number, string>> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  429: 'rate_limited',
};

export type Query = Readonly<Record<string, string | number | undefined>>;

export class ApiClient {
  constructor(
    readonly apiUrl: string,
    private readonly apiKey: string,
    private readonly timeoutMs = REQUEST_TIMEOUT_MS,
  ) {}

  get<T>(path: string, query: Query = {}): Promise<T> {
    return this.request<T>('GET', path, query);
  }

  post<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('POST', path, {}, body);
  }

  private async request<T>(method: 'GET' | 'POST', path: string, query: Query, body?: unknown): Promise<T> {
    const url = new URL(this.apiUrl + path);
    for (const [name, value] of Object.entries(query)) {
      if (value !== undefined) url.searchParams.set(name, String(value));
    }
    const request = `${method} ${path}`;
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: {
          authorization: `Bearer ${this.apiKey}`,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw unreachable(this.apiUrl, request, error, this.timeoutMs);
    }
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      throw unreachable(this.apiUrl, request, error, this.timeoutMs);
    }
    const parsed = parseJson(text);
    if (response.status >= 400 && response.status < 500) {
      throw refusal(request, response.status, parsed, text);
    }
    if (response.status >= 500) {
      const { code, message } = errorBody(parsed);
      throw new ApiUnavailableError(
        `${request} failed: ${response.status}${code ? ` ${code}` : ''}: ${message ?? (text.slice(0, 200) || 'no body')}`,
        response.status,
        code,
      );
    }
    if (parsed === undefined) {
      throw new ApiUnavailableError(
        `${request} answered ${response.status} with something that is not JSON: ${text.slice(0, 200) || '(empty)'}; is ${this.apiUrl} a trustgate API?`,
        response.status,
      );
    }
    return parsed as T;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function errorBody(parsed: unknown): { code?: string; message?: string; details: ApiErrorDetail[] } {
  const body = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  const error =
    typeof body.error === 'object' && body.error !== null ? (body.error as Record<string, unknown>) : body;
  const details = Array.isArray(error.details)
    ? error.details
        .filter((detail): detail is Record<string, unknown> => typeof detail === 'object' && detail !== null)
        .map((detail) => ({
          field: String(detail.field ?? ''),
          ...(typeof detail.message === 'string' ? { message: detail.message } : {}),
        }))
    : [];
  return {
    ...(typeof error.code === 'string' ? { code: error.code } : {}),
    ...(typeof error.message === 'string' ? { message: error.message } : {}),
    details,
  };
}

function refusal(request: string, status: number, parsed: unknown, text: string): ApiRefusedError {
  const { code, message, details } = errorBody(parsed);
  return new ApiRefusedError(
    request,
    status,
    code ?? STATUS_CODES[status] ?? `http_${status}`,
    message ?? (text.slice(0, 200) || 'no message'),
    details,
  );
}

function unreachable(
  apiUrl: string,
  request: string,
  error: unknown,
  timeoutMs: number,
): ApiUnavailableError {
  const failure = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (failure.name === 'TimeoutError') {
    return new ApiUnavailableError(
      `${request} to ${apiUrl} timed out: no answer within ${timeoutMs / 1000} s`,
    );
  }
  const reason = failure.cause?.code ?? failure.cause?.message ?? failure.message ?? String(error);
  return new ApiUnavailableError(
    `cannot reach the trustgate API at ${apiUrl} (${reason}); is it running (npm start), or is --api-url / TRUSTGATE_API_URL wrong?`,
  );
}
