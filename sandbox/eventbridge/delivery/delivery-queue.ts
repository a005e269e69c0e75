// Asynchronous delivery of matched events to targets. PutEvents only enqueues; each delivery runs on
// its own, retries retryable failures with exponential backoff up to the target's RetryPolicy (capped
// for the sandbox), then goes to the target's dead-letter queue if it has one, or to the log.

import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import type { EventBridgeEvent } from '../event.ts';
import type { TargetRecord } from '../state.ts';
import { errorCode, errorMessage, isRetryableDeliveryError } from './delivery-error.ts';
import type { TargetSender } from './target-sender.ts';

export interface Delivery {
  ruleArn: string;
  target: TargetRecord;
  /** The transformed input, as text. */
  payload: string;
  event: EventBridgeEvent;
}

export interface DeliveryRetrySettings {
  /** Upper bound on retries whatever the target's RetryPolicy says (AWS's default is 185 over 24 h). */
  maxRetryAttempts: number;
  /** Backoff before the first retry; it doubles for each further retry. */
  initialBackoffMs: number;
}

export interface DeliveryQueue {
  enqueue(delivery: Delivery): void;
  /** Resolves once every delivery enqueued so far, and any enqueued meanwhile, has finished. */
  whenIdle(): Promise<void>;
  /** Refuses new deliveries, cuts backoff waits short (those deliveries are dropped) and waits. */
  close(): Promise<void>;
}

export function createDeliveryQueue(options: {
  sender: TargetSender;
  retry: DeliveryRetrySettings;
  log: (line: string) => void;
}): DeliveryQueue {
  const { sender, retry, log } = options;
  const inFlight = new Set<Promise<void>>();
  const shutdown = new AbortController();

  async function deliver(delivery: Delivery): Promise<void> {
    // PutEvents answers before anything is delivered, as in AWS.
    await nextTurn();
    const allowedRetries = Math.min(
      delivery.target.RetryPolicy?.MaximumRetryAttempts ?? retry.maxRetryAttempts,
      retry.maxRetryAttempts,
    );
    for (let retries = 0; ; retries++) {
      try {
        await sender.send({
          targetArn: delivery.target.Arn,
          payload: delivery.payload,
          deduplicationId: delivery.event.id,
          ...(delivery.target.SqsParameters?.MessageGroupId === undefined
            ? {}
            : { messageGroupId: delivery.target.SqsParameters.MessageGroupId }),
        });
        return;
      } catch (error) {
        const retryable = isRetryableDeliveryError(error);
        if (!retryable || retries >= allowedRetries) {
          await deadLetter(delivery, error, retries, retryable);
          return;
        }
        try {
          await sleep(retry.initialBackoffMs * 2 ** retries, undefined, {
            signal: shutdown.signal,
            ref: false,
          });
        } catch {
          log(
            `eventbridge: dropped delivery of event ${delivery.event.id} to ${delivery.target.Arn} at shutdown`,
          );
          return;
        }
      }
    }
  }

  async function deadLetter(delivery: Delivery, error: unknown, retries: number, retryable: boolean) {
    const failure = `${errorCode(error)}: ${errorMessage(error)}`;
    const queueArn = delivery.target.DeadLetterConfig?.Arn;
    if (!queueArn) {
      log(
        `eventbridge: delivery of event ${delivery.event.id} from ${delivery.ruleArn} to ${delivery.target.Arn} failed after ${retries} retries (${failure}); the target has no dead-letter queue`,
      );
      return;
    }
    try {
      await sender.sendToQueue(queueArn, JSON.stringify(delivery.event), {
        RULE_ARN: delivery.ruleArn,
        TARGET_ARN: delivery.target.Arn,
        ERROR_CODE: errorCode(error),
        ERROR_MESSAGE: errorMessage(error),
        RETRY_ATTEMPTS: String(retries),
        ...(retryable ? { EXHAUSTED_RETRY_CONDITION: 'MaximumRetryAttempts' } : {}),
      });
    } catch (dlqError) {
      log(
        `eventbridge: delivery of event ${delivery.event.id} to ${delivery.target.Arn} failed (${failure}) and its dead-letter queue ${queueArn} refused it too (${errorMessage(dlqError)})`,
      );
    }
  }

  return {
    enqueue(delivery) {
      if (shutdown.signal.aborted) {
        log(`eventbridge: not delivering event ${delivery.event.id}: the sandbox is stopping`);
        return;
      }
      const running = deliver(delivery).finally(() => inFlight.delete(running));
      inFlight.add(running);
    },
    async whenIdle() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
    async close() {
      shutdown.abort();
      await this.whenIdle();
    },
  };
}
