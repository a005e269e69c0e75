// What the CLI touches outside itself, passed in so the tests run it in-process: its two output streams,
// the environment, where `npm start` wrote the sandbox keys, and time (the workflow poll's clock and sleep).
import { fileURLToPath } from 'node:url';

export interface CliIo {
  /** Writes to stdout (text as given: callers add the newlines). */
  out(text: string): void;
  /** Writes to stderr. */
  err(text: string): void;
  env: Readonly<Record<string, string | undefined>>;
  /** The directory `npm start` writes `admin-key` and `platform-key` to. */
  sandboxDir: string;
  now(): number;
  sleep(millis: number): Promise<void>;
}

/** `.sandbox/` of this checkout (next to cli/), where `npm start` writes the keys. */
export const CHECKOUT_SANDBOX_DIR = fileURLToPath(new URL('../.sandbox/', import.meta.url));

export function processIo(): CliIo {
  return {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    env: process.env,
    sandboxDir: CHECKOUT_SANDBOX_DIR,
    now: Date.now,
    sleep: (millis) => new Promise((resolve) => setTimeout(resolve, millis)),
  };
}
