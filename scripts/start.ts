// `npm start`: the main job. Builds the functions, synthesizes the app into cdk.out, serves it from the
// local sandbox (the same templates, bundles and state machines `cdk deploy` would ship), makes the first
// API keys (.sandbox/admin-key: every role of tenant `default`; .sandbox/platform-key: the platform admin),
// registers the demo fleet through the API with the first and keeps serving until Ctrl-C / SIGTERM.
// Ports: PORT for the HTTP API (default 3000), EDGE_PORT for the AWS endpoint (default 4566).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp } from '../infra/build-app.ts';
import { startSandbox } from '../sandbox/index.ts';
import { authHeaders } from './api-keys-client.ts';
import { type FirstKeys, firstSandboxKeys } from './bootstrap-keys.ts';
import { buildFunctions } from './build.ts';
import { DEMO_FLEET, seedDemoFleet } from './demo-fleet.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ASSEMBLY_DIR = join(ROOT, 'cdk.out');
const SANDBOX_DIR = join(ROOT, '.sandbox');
/** The stage `npm start` synthesizes (the app's default). */
const STAGE = 'dev';

/** Writes the sandbox's first keys where the scripts look for them (owner-only files). */
function writeFirstKeys(keys: FirstKeys): void {
  mkdirSync(SANDBOX_DIR, { recursive: true });
  writeFileSync(join(SANDBOX_DIR, 'admin-key'), `${keys.adminKey}\n`, { mode: 0o600 });
  writeFileSync(join(SANDBOX_DIR, 'platform-key'), `${keys.platformKey}\n`, { mode: 0o600 });
}

function portFromEnvironment(name: string, fallback: number): number {
  const value = process.env[name];
  if (value === undefined || value === '') return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error(`${name} must be a port number (0-65535), got "${value}"`);
  }
  return port;
}

async function main(): Promise<void> {
  const apiPort = portFromEnvironment('PORT', 3000);
  const edgePort = portFromEnvironment('EDGE_PORT', 4566);
  await buildFunctions();
  // Receivers a developer runs next to the sandbox listen on loopback: allowed here, never by default.
  buildApp({ outdir: ASSEMBLY_DIR, context: { webhookAllowPrivateUrls: true } }).synth();
  console.log('synthesized the app into cdk.out/');

  const sandbox = await startSandbox({ assembly: ASSEMBLY_DIR, edgePort, apiPort });
  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping`);
    sandbox.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`trustgate: ${(error as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);

  const apiUrl = sandbox.apiUrl;
  if (apiUrl === undefined) {
    await sandbox.stop();
    throw new Error('the synthesized app has no HTTP API to serve');
  }
  let seeded: Awaited<ReturnType<typeof seedDemoFleet>>;
  try {
    const keys = await firstSandboxKeys(sandbox, STAGE);
    writeFirstKeys(keys);
    seeded = await seedDemoFleet(apiUrl, authHeaders(keys.adminKey));
  } catch (error) {
    await sandbox.stop();
    throw error;
  }

  const names = new Map(DEMO_FLEET.map((agent) => [agent.agentId, agent.name]));
  console.log(
    [
      '',
      `API   ${apiUrl}`,
      `edge  ${sandbox.edgeUrl}   (export AWS_ENDPOINT_URL=${sandbox.edgeUrl} for the AWS SDK / CLI)`,
      '',
      'demo fleet:',
      ...seeded.map(
        (agent) =>
          `  ${agent.agentId.padEnd(15)} ${agent.tier}  ${String(Math.round(agent.score)).padStart(4)}  ${names.get(agent.agentId)}`,
      ),
      '',
      'API keys (shown once, kept in .sandbox/):',
      '  .sandbox/admin-key     tenant default: admin, operator, reviewer (level 3) — the demo fleet is here',
      '  .sandbox/platform-key  the platform admin: makes other tenants’ keys (POST /v1/api-keys), replays DLQs',
      '',
      'try:',
      `  export TG_KEY=$(cat .sandbox/admin-key)`,
      `  curl -s -X POST ${apiUrl}/v1/workflows -H "authorization: Bearer $TG_KEY" -H 'content-type: application/json' -d '{"template":"report","input":{"task":"Write report on AI trends"}}'`,
      `  curl -s ${apiUrl}/v1/workflows/<workflowId> -H "authorization: Bearer $TG_KEY"`,
      '  npm run demo',
      '',
      'serving; Ctrl-C stops',
    ].join('\n'),
  );
}

main().catch((error: unknown) => {
  // The sandbox's own messages (Java missing or too old, a port in use) are meant for the user as they are.
  console.error(`trustgate: ${(error as Error).message}`);
  process.exit(1);
});
