// Node's setTimeout holds at most 2^31-1 ms (~24.8 days) and fires after 1 ms beyond that, while
// Step Functions deadlines go up to the one-year execution limit: longer delays are chained.
const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

export interface LongTimer {
  cancel(): void;
}

export function startLongTimer(delayMs: number, onExpiry: () => void): LongTimer {
  const deadline = Date.now() + delayMs;
  let handle: NodeJS.Timeout;
  const arm = () => {
    const remaining = deadline - Date.now();
    if (remaining <= 0) {
      onExpiry();
      return;
    }
    handle = setTimeout(arm, Math.min(remaining, MAX_TIMER_DELAY_MS));
  };
  handle = setTimeout(arm, Math.min(delayMs, MAX_TIMER_DELAY_MS));
  return { cancel: () => clearTimeout(handle) };
}
