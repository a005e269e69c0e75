// The message on the webhook delivery queue: one per (event, matching webhook), written by the dispatcher,
// read by the delivery worker, replayed from the DLQ by the redrive unchanged.
//   messageId  the event's eventId: the `webhook-id` of every attempt, so receivers dedupe retries
//   body       the exact JSON text every attempt POSTs and signs (core/webhooks/webhook-payload.ts)
import { z } from 'zod';

export const DeliveryMessageSchema = z.object({
  webhookId: z.string().min(1),
  tenantId: z.string().min(1),
  messageId: z.string().min(1),
  eventType: z.string().min(1),
  body: z.string().min(1),
});

export type DeliveryMessage = z.output<typeof DeliveryMessageSchema>;

/** The message, or undefined for a body that is not one (logged and dropped by the worker). */
export function parseDeliveryMessage(text: string): DeliveryMessage | undefined {
  try {
    const parsed = DeliveryMessageSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
