// The exit codes of the trustgate CLI, which scripts may rely on, and the failures that carry them. Every
// failure is shown as one clear message (never a stack trace); with --json, stdout also gets it as
// `{ "error": { … } }`, so stdout always holds exactly one JSON document.

export const EXIT = {
  /** The command did what it was asked. */
  ok: 0,
  /** The outcome is negative: the workflow did not succeed (or did not end in time); the audit trail does not verify. */
  notSucceeded: 1,
  /** The command line is wrong: unknown command or option, a bad value, no API key. */
  usage: 2,
  /** The API refused the request (a 4xx): its code, message and fields are shown. */
  refused: 3,
  /** The API could not be reached, timed out, failed (5xx), or answered something unreadable. */
  unavailable: 4,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A field the API named in a 4xx. */
export interface ApiErrorDetail {
  field: string;
  message?: string;
}

/** A failure the CLI reports and exits with. `json` is what --json prints under `error`. */
export abstract class CliFailure extends Error {
  abstract readonly exitCode: ExitCode;
  abstract readonly kind: string;

  json(): Record<string, unknown> {
    return { kind: this.kind, message: this.message };
  }

  /** The lines shown on stderr. */
  lines(): string[] {
    return [this.message];
  }
}

export class UsageError extends CliFailure {
  override readonly name = 'UsageError';
  readonly exitCode = EXIT.usage;
  readonly kind = 'usage';
}

/** A 4xx: the error body `{ error: { code, message, details } }`, or API Gateway's `{ message }`. */
export class ApiRefusedError extends CliFailure {
  override readonly name = 'ApiRefusedError';
  readonly exitCode = EXIT.refused;
  readonly kind = 'api_refused';

  constructor(
    readonly request: string,
    readonly status: number,
    readonly code: string,
    readonly apiMessage: string,
    readonly details: readonly ApiErrorDetail[],
  ) {
    super(`${request} was refused: ${status} ${code}: ${apiMessage}`);
  }

  override json(): Record<string, unknown> {
    return {
      kind: this.kind,
      request: this.request,
      status: this.status,
      code: this.code,
      message: this.apiMessage,
      details: this.details,
    };
  }

  override lines(): string[] {
    return [
      this.message,
      ...this.details.map((detail) => `  ${detail.field}${detail.message ? `: ${detail.message}` : ''}`),
    ];
  }
}

/** Unreachable, timed out, a 5xx, or an answer that is not the JSON the route promises. */
export class ApiUnavailableError extends CliFailure {
  override readonly name = 'ApiUnavailableError';
  readonly exitCode = EXIT.unavailable;
  readonly kind = 'api_unavailable';

  constructor(
    message: string,
    readonly status?: number,
    readonly code?: string,
  ) {
    super(message);
  }

  override json(): Record<string, unknown> {
    return {
      kind: this.kind,
      message: this.message,
      ...(this.status === undefined ? {} : { status: this.status }),
      ...(this.code === undefined ? {} : { code: this.code }),
    };
  }
}
