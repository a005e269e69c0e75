// trustgate webhooks redrive   POST /v1/webhooks/redrive: moves the dead-lettered webhook deliveries (at most
// 1 000 per call) back to the delivery queue. A platform admin's call: without --api-key / TRUSTGATE_API_KEY
// the key is .sandbox/platform-key (written by `npm start`), not the admin-key of tenant default.
import type { CommandContext } from '../command-context.ts';

export async function redriveWebhooks(ctx: CommandContext): Promise<number> {
  const answer = await ctx.api('platform-key').post<{ moved: number }>('/v1/webhooks/redrive');
  ctx.result(answer, () => {
    const moved = answer.moved;
    return `moved ${moved} webhook deliver${moved === 1 ? 'y' : 'ies'} from the dead-letter queue back to the delivery queue`;
  });
  return 0;
}
