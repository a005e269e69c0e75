// The trustgate command line (commander): its commands, global options, help and exit codes. `runCli` parses
// the arguments, runs the command and returns the exit code, writing only through `io`, so tests run it
// in-process against an HTTP server of their own; cli/trustgate.ts runs it for the process.
import { readFileSync } from 'node:fs';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { ESCALATION_STATUSES } from '../functions/app/escalations/escalation-item.ts';
import { WORKFLOW_VIEW_STATUSES } from '../functions/app/workflows/list-workflows-query.ts';
import { TEMPLATE_NAMES } from '../functions/app/workflows/workflow-templates.ts';
import { CliFailure, EXIT } from './cli-errors.ts';
import type { CliIo } from './cli-io.ts';
import { CommandContext, type GlobalOptions } from './command-context.ts';
import { listAgents, showAgent } from './commands/agents.ts';
import { verifyAudit } from './commands/audit.ts';
import { answerEscalation, listEscalations } from './commands/escalations.ts';
import { DEFAULT_TEMPLATE, DEFAULT_TIMEOUT_SECONDS, type RunOptions, runWorkflow } from './commands/run.ts';
import { redriveWebhooks } from './commands/webhooks.ts';
import { type ListWorkflowsOptions, listWorkflows, showWorkflow } from './commands/workflows.ts';
import { DEFAULT_API_URL } from './connection.ts';

const VERSION = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

export const HELP_AFTER = `
Connection (first found wins):
  API URL  --api-url, else $TRUSTGATE_API_URL, else ${DEFAULT_API_URL} (the sandbox of npm start)
  API key  --api-key, else $TRUSTGATE_API_KEY, else the contents of .sandbox/admin-key when it exists
           (written by npm start: tenant default, every role); webhooks redrive, a platform admin's
           call, uses .sandbox/platform-key instead

Output: human-readable text; with --json, stdout holds exactly one JSON document (the result, or
{"error": {...}} on failure) and nothing else. Errors are also described on stderr.

Exit codes:
  0  ok
  1  the workflow did not succeed: it ended FAILED (e.g. a DENY) or COMPENSATED, the failed step and
     reason are printed, or it had not ended within --timeout; audit verify: the trail does not verify
  2  usage error: unknown command or option, a bad value, no API key
  3  the API refused the request (4xx): its error code, message and fields are printed
  4  the API is unreachable, timed out, failed (5xx), or answered something that is not JSON

Examples:
  trustgate run "Write report on AI trends"
  trustgate run "Draft a note on AI regulation" --template escalation
  trustgate escalations ls && trustgate approve <escalationId> --comment "looks fine"
  trustgate workflows ls --status FAILED --limit 5 --json
`;

function integer(name: string, min: number, max: number): (value: string) => number {
  return (value) => {
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
      throw new InvalidArgumentError(`${name} must be a whole number from ${min} to ${max}.`);
    }
    return Number(value);
  };
}

function upperChoice(allowed: readonly string[]): (value: string) => string {
  return (value) => {
    const status = value.toUpperCase();
    if (!allowed.includes(status)) throw new InvalidArgumentError(`Allowed: ${allowed.join(', ')}.`);
    return status;
  };
}

function buildProgram(io: CliIo, setExit: (code: number) => void): Command {
  /** Wraps an action: the context from the global options, the exit code from the result. */
  const action =
    <Args extends unknown[]>(run: (ctx: CommandContext, ...args: Args) => Promise<number>) =>
    async (...params: unknown[]) => {
      const command = params.at(-1) as Command;
      const ctx = new CommandContext(io, command.optsWithGlobals<GlobalOptions>());
      setExit(await run(ctx, ...(params.slice(0, -1) as Args)));
    };

  const program = new Command('trustgate')
    .description(
      'The trustgate API from the command line: run workflows live, inspect agents, answer escalations.',
    )
    .version(VERSION, '-V, --version')
    .option('--api-url <url>', `the API (default $TRUSTGATE_API_URL, else ${DEFAULT_API_URL})`)
    .option('--api-key <key>', 'a tg_… key (default $TRUSTGATE_API_KEY, else .sandbox/admin-key)')
    .option('--json', 'machine output: one JSON document on stdout, nothing else')
    .configureOutput({
      writeOut: (text) => io.out(text),
      writeErr: (text) => io.err(text),
      outputError: (text, write) => write(`trustgate: ${text.replace(/^error: /, '')}`),
    })
    .configureHelp({ showGlobalOptions: true })
    .showHelpAfterError('(add --help for usage)')
    .exitOverride()
    .addHelpText('after', HELP_AFTER);

  program
    .command('run')
    .description('start a workflow and follow it live, step by step, to its result')
    .argument('<task...>', 'the task, e.g. "Write report on AI trends"')
    .addOption(
      new Option('--template <name>', `a workflow template (default ${DEFAULT_TEMPLATE})`).choices(
        TEMPLATE_NAMES,
      ),
    )
    .option(
      '--steps <file>',
      'explicit steps instead: a JSON file with the steps array of POST /v1/workflows',
    )
    .addOption(
      new Option('--type <type>', 'with --steps: the workflow type (default sequential)').choices([
        'sequential',
        'parallel',
        'saga',
      ]),
    )
    .addOption(
      new Option('--preference <preference>', 'trust-based routing: cheapest or best').choices([
        'cost',
        'quality',
      ]),
    )
    .option(
      '--timeout <seconds>',
      `stop following after this long (exit 1; the workflow runs on)`,
      integer('--timeout', 1, 86_400),
      DEFAULT_TIMEOUT_SECONDS,
    )
    .action(action((ctx, task: string[], options: RunOptions) => runWorkflow(ctx, task.join(' '), options)));

  const workflows = program.command('workflows').description('list and inspect workflows');
  workflows
    .command('ls')
    .description('the tenant’s workflows, newest first')
    .option(
      '--status <status>',
      `only those in this status: ${WORKFLOW_VIEW_STATUSES.join(', ')}`,
      upperChoice(WORKFLOW_VIEW_STATUSES),
    )
    .option('--limit <n>', 'at most this many (1…100, default 50)', integer('--limit', 1, 100))
    .option('--next-token <token>', 'the next page, from the previous listing')
    .action(action((ctx, options: ListWorkflowsOptions) => listWorkflows(ctx, options)));
  workflows
    .command('show')
    .description('one workflow with its steps, decisions and result')
    .argument('<id>', 'the workflow id')
    .action(action((ctx, workflowId: string) => showWorkflow(ctx, workflowId)));

  const agents = program.command('agents').description('the tenant’s agents and their trust');
  agents
    .command('ls')
    .description('every agent: score, tier, trend (its last recorded score change), breaker, cost')
    .action(action((ctx) => listAgents(ctx)));
  agents
    .command('show')
    .description('one agent: score, tier, trend and recent score changes, components, breaker')
    .argument('<id>', 'the agent id')
    .action(action((ctx, agentId: string) => showAgent(ctx, agentId)));

  const addAnswerCommands = (parent: Command, shortcut: boolean) => {
    const note = (name: string) => (shortcut ? ` (same as escalations ${name})` : '');
    parent
      .command('approve')
      .description(`approve an escalation (a key with the reviewer role at its level)${note('approve')}`)
      .argument('<id>', 'the escalation id')
      .option('--comment <text>', 'recorded with the approval')
      .action(
        action((ctx, escalationId: string, options: { comment?: string }) =>
          answerEscalation(ctx, escalationId, { kind: 'approve', ...options }),
        ),
      );
    parent
      .command('reject')
      .description(`reject an escalation: the step fails with the reason${note('reject')}`)
      .argument('<id>', 'the escalation id')
      .requiredOption('--reason <text>', 'why (required)')
      .action(
        action((ctx, escalationId: string, options: { reason: string }) =>
          answerEscalation(ctx, escalationId, { kind: 'reject', reason: options.reason }),
        ),
      );
  };
  const escalations = program
    .command('escalations')
    .description('escalated steps waiting for (or past) a reviewer');
  escalations
    .command('ls')
    .description('the tenant’s escalations in one status, oldest first')
    .option(
      '--status <status>',
      `${ESCALATION_STATUSES.join(', ')} (default PENDING)`,
      upperChoice(ESCALATION_STATUSES),
      'PENDING',
    )
    .action(action((ctx, options: { status: string }) => listEscalations(ctx, options)));
  addAnswerCommands(escalations, false);
  addAnswerCommands(program, true);

  const audit = program.command('audit').description('the tenant’s hash-chained audit trail');
  audit
    .command('verify')
    .description('verify the trail to its head (exit 1 when it does not verify)')
    .addOption(
      new Option('--mode <mode>', 'full: every record; checkpoints: the checkpoint chain')
        .choices(['full', 'checkpoints'])
        .default('full'),
    )
    .option(
      '--from-sequence <n>',
      'full mode: start at this record',
      integer('--from-sequence', 1, Number.MAX_SAFE_INTEGER),
    )
    .action(
      action((ctx, options: { mode: 'full' | 'checkpoints'; fromSequence?: number }) =>
        verifyAudit(ctx, options),
      ),
    );

  const webhooks = program.command('webhooks').description('webhook operations');
  webhooks
    .command('redrive')
    .description(
      'replay the dead-lettered webhook deliveries (a platform admin’s key: .sandbox/platform-key)',
    )
    .action(action((ctx) => redriveWebhooks(ctx)));

  return program;
}

/** Whether the command line asked for --json (also when it could not be parsed). */
function wantsJson(argv: readonly string[]): boolean {
  return argv.includes('--json');
}

function report(io: CliIo, json: boolean, failure: CliFailure): number {
  for (const line of failure.lines()) io.err(`trustgate: ${line}\n`);
  if (json) io.out(`${JSON.stringify({ error: failure.json() }, null, 2)}\n`);
  return failure.exitCode;
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = buildProgram(io, (code) => {
    exitCode = code;
  });
  const json = wantsJson(argv);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return EXIT.ok;
      // commander has printed the message (and the hint) on stderr already.
      if (json) {
        const message = error.message.replace(/^error: /, '');
        io.out(`${JSON.stringify({ error: { kind: 'usage', message } }, null, 2)}\n`);
      }
      return EXIT.usage;
    }
    if (error instanceof CliFailure) return report(io, json, error);
    const message = error instanceof Error ? error.message : String(error);
    return report(io, json, new UnexpectedFailure(message));
  }
}

/** Anything else (a bug, an I/O error): one line, no stack, the exit code of a failed call. */
class UnexpectedFailure extends CliFailure {
  override readonly name = 'UnexpectedFailure';
  readonly exitCode = EXIT.unavailable;
  readonly kind = 'unexpected';
}
