// `npm run sandbox -- --assembly cdk.out [--stack NAME] [--edge-port 4566] [--api-port 3000]
//  [--data-dir DIR] [--ignore-unsupported]`: serves a synthesized CDK app until Ctrl-C / SIGTERM.
import { parseArgs } from 'node:util';
import { startSandbox } from './index.ts';

const USAGE =
  'usage: npm run sandbox -- --assembly <cdk.out dir> [--stack NAME] [--edge-port 4566] [--api-port 3000] [--data-dir DIR] [--ignore-unsupported]';

function port(value: string | undefined, fallback: number, flag: string): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65_535)
    throw new Error(`${flag} must be a port number, got ${value}`);
  return parsed;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      assembly: { type: 'string' },
      stack: { type: 'string' },
      'edge-port': { type: 'string' },
      'api-port': { type: 'string' },
      'data-dir': { type: 'string' },
      'ignore-unsupported': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help || !values.assembly) {
    process.stdout.write(`${USAGE}\n`);
    process.exitCode = values.help ? 0 : 2;
    return;
  }
  const sandbox = await startSandbox({
    assembly: values.assembly,
    ...(values.stack ? { stack: values.stack } : {}),
    edgePort: port(values['edge-port'], 4566, '--edge-port'),
    apiPort: port(values['api-port'], 3000, '--api-port'),
    ...(values['data-dir'] ? { dataDir: values['data-dir'] } : {}),
    ignoreUnsupported: values['ignore-unsupported'],
  });
  process.stdout.write(`edge: ${sandbox.edgeUrl}   (export AWS_ENDPOINT_URL=${sandbox.edgeUrl})\n`);
  for (const api of sandbox.httpApis)
    process.stdout.write(`api: ${api.url}   (${api.stackName}/${api.logicalId})\n`);
  process.stdout.write('ready\n');

  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`${signal}: stopping\n`);
    sandbox.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`${(error as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  process.stderr.write(`sandbox: ${(error as Error).message}\n`);
  process.exit(1);
});
