// `npm run events -- redrive <queue> [--api-url URL]`: replays a consumer's dead-letter queue into its queue
// (queue = trust-calculator, webhook-dispatcher, analytics, audit-logger, alert-service), or the events the
// publishers parked on `undelivered-events` onto the bus (POST /v1/events/redrive, admin role), against a
// running trustgate, and prints how many were moved. Exits non-zero when the API is unreachable or refuses.
import { parseArgs } from 'node:util';
import { adminPost, DEFAULT_API_URL, movedCount } from './admin-request.ts';

const USAGE =
  'usage: npm run events -- redrive <trust-calculator|webhook-dispatcher|analytics|audit-logger|alert-service|undelivered-events> [--api-url URL]';

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { 'api-url': { type: 'string' } },
  });
  const [command, queue] = positionals;
  if (positionals.length !== 2 || command !== 'redrive' || !queue) throw new Error(USAGE);
  const apiUrl = values['api-url'] ?? process.env.API_URL ?? DEFAULT_API_URL;
  const moved = movedCount(await adminPost(apiUrl, '/v1/events/redrive', { queue }), '/v1/events/redrive');
  console.log(`moved ${moved} message${moved === 1 ? '' : 's'} of ${queue} back`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
