// The trustgate CLI's entry point (bin/trustgate.mjs loads it through tsx): runs the command line of this
// process and exits with its code (cli/cli-errors.ts EXIT; `trustgate --help` lists them).
import { processIo } from './cli-io.ts';
import { runCli } from './run-cli.ts';

process.exitCode = await runCli(process.argv.slice(2), processIo());
