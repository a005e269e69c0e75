// Function output in files, one per function (`npm start` keeps it in .sandbox/logs/): each file is created
// (or appended to) when its function is deployed, so `tail -f` works before the first invocation, and gets
// every line the function writes to stdout or stderr as it comes, unprefixed: the file says whose it is.
// Writes are synchronous appends, so nothing is lost when the process is killed and lines never interleave.
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { LambdaFunctionSpec } from '../contracts.ts';
import type { FunctionLogSink } from './execution-environment.ts';

/** One append-only log file. */
export interface LogFile {
  readonly path: string;
  /** Appends `line` and a newline. */
  write(line: string): void;
  close(): void;
}

/** Opens `path` for appending (creating it and its directory) and marks where this run starts in it. */
export function openLogFile(path: string, header: string): LogFile {
  mkdirSync(dirname(path), { recursive: true });
  const fd = openSync(path, 'a');
  let open = true;
  const write = (line: string) => {
    if (open) writeSync(fd, `${line}\n`);
  };
  write(header);
  return {
    path,
    write,
    close() {
      if (!open) return;
      open = false;
      closeSync(fd);
    },
  };
}

export interface FunctionLogFilesOptions {
  /** Where the files go; created when missing. */
  dir: string;
  /** Also hands every line here (the terminal, for `--verbose`). */
  echo?: FunctionLogSink;
  /** The clock of the header line each file gets when its function is deployed. */
  now?: () => Date;
}

export interface FunctionLogFiles {
  /** For the sandbox's `functionLog` option: opens the function's file and returns its line writer. */
  open(spec: LambdaFunctionSpec): (line: string) => void;
  /** Each function's file, by function name, in the order they were deployed. */
  readonly files: ReadonlyMap<string, string>;
  close(): void;
}

/** CDK's logical ids end in an 8-hex-digit hash of the construct path (`AgentsApiFunction768D6C42`). */
const CDK_LOGICAL_ID_HASH = /(?<=.)[0-9A-F]{8}$/;

/**
 * A function's file name: its logical id without CDK's hash (`AgentsApiFunction.log`), readable and stable
 * across synths. When another function already has that name (the same construct id in two stacks), its
 * function name instead, which is unique.
 */
export function functionLogFileName(spec: LambdaFunctionSpec, taken: ReadonlySet<string>): string {
  const readable = `${safeFileName(spec.logicalId.replace(CDK_LOGICAL_ID_HASH, ''))}.log`;
  return taken.has(readable) ? `${safeFileName(spec.functionName)}.log` : readable;
}

function safeFileName(name: string): string {
  return name.replaceAll(/[^A-Za-z0-9._-]/g, '_');
}

export function createFunctionLogFiles(options: FunctionLogFilesOptions): FunctionLogFiles {
  const now = options.now ?? (() => new Date());
  const open = new Map<string, LogFile>();
  const files = new Map<string, string>();
  const names = new Set<string>();
  mkdirSync(options.dir, { recursive: true });
  return {
    open(spec) {
      // A redeployed function keeps its file.
      let file = open.get(spec.functionName);
      if (file === undefined) {
        const name = functionLogFileName(spec, names);
        names.add(name);
        file = openLogFile(
          join(options.dir, name),
          `--- ${now().toISOString()} ${spec.functionName} (${spec.logicalId}) deployed ---`,
        );
        open.set(spec.functionName, file);
        files.set(spec.functionName, file.path);
      }
      const target = file;
      const echo = options.echo;
      return echo === undefined
        ? (line) => target.write(line)
        : (line) => {
            target.write(line);
            echo(spec.functionName, line);
          };
    },
    files,
    close() {
      for (const file of open.values()) file.close();
      open.clear();
    },
  };
}
