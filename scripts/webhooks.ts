// `npm run webhooks -- redrive [--api-url URL]`: replays the webhook deliveries of the dead-letter queue
// (POST /v1/webhooks/redrive, admin role) against a running trustgate and prints how many were moved.
// Exits non-zero when the API is unreachable or refuses.
import { parseArgs } from 'node:util';
import { adminPost, DEFAULT_API_URL, movedCount } from './admin-request.ts';

const USAGE = 'usage: npm run webhooks -- redrive [--api-url URL]';

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { 'api-url': { type: 'string' } },
  });
  if (positionals.length !== 1 || positionals[0] !== 'redrive') throw new Error(USAGE);
  const apiUrl = values['api-url'] ?? process.env.API_URL ?? DEFAULT_API_URL;
  const moved = movedCount(await adminPost(apiUrl, '/v1/webhooks/redrive'), '/v1/webhooks/redrive');
  console.log(
    `moved ${moved} webhook deliver${moved === 1 ? 'y' : 'ies'} from the dead-letter queue back to the delivery queue`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
