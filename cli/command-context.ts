// What every command's action gets: the output channels (human text, or one JSON document with --json), and
// the API client for the connection the global options, the environment or the sandbox files name.
import { ApiClient } from './api-client.ts';
import type { CliIo } from './cli-io.ts';
import { type ConnectionOptions, resolveConnection, type SandboxKeyFile } from './connection.ts';

export interface GlobalOptions extends ConnectionOptions {
  json?: boolean;
}

export class CommandContext {
  readonly json: boolean;

  constructor(
    readonly io: CliIo,
    private readonly options: GlobalOptions,
  ) {
    this.json = options.json === true;
  }

  /** A client for the API; `keyFile` is the sandbox key used when no key is given. */
  api(keyFile: SandboxKeyFile = 'admin-key'): ApiClient {
    const { apiUrl, apiKey } = resolveConnection(this.options, this.io, keyFile);
    return new ApiClient(apiUrl, apiKey);
  }

  /** Human output: one line (or block) on stdout; nothing with --json, whose stdout is the JSON alone. */
  say(text = ''): void {
    if (!this.json) this.io.out(text.endsWith('\n') ? text : `${text}\n`);
  }

  /** The command's result: JSON with --json, else `human()` rendered as text. */
  result(value: unknown, human: () => string): void {
    if (this.json) this.io.out(`${JSON.stringify(value, null, 2)}\n`);
    else {
      const text = human();
      if (text !== '') this.io.out(text.endsWith('\n') ? text : `${text}\n`);
    }
  }
}
